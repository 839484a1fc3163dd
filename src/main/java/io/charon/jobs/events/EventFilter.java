package io.charon.jobs.events;

import java.util.Set;

/**
 * Which events a subscriber wants: any of {@code types} (all when empty), of one job, of jobs
 * carrying one tag, of jobs owned by one user; null fields do not filter. The owner is how a
 * non-admin's stream is kept to their own jobs.
 */
public record EventFilter(Set<String> types, String jobId, String tag, String userId) {

    public EventFilter {
        types = types == null ? Set.of() : Set.copyOf(types);
    }

    /** Any owner. */
    public EventFilter(Set<String> types, String jobId, String tag) {
        this(types, jobId, tag, null);
    }

    public static EventFilter all() {
        return new EventFilter(Set.of(), null, null, null);
    }

    public static EventFilter ofTypes(Set<String> types) {
        return new EventFilter(types, null, null, null);
    }

    public boolean matches(FeedEvent event) {
        return (types.isEmpty() || types.contains(event.type()))
                && (jobId == null || jobId.equals(event.jobId()))
                && (tag == null || event.tags().contains(tag))
                && (userId == null || userId.equals(event.userId()));
    }
}
