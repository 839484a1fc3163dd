package io.charon.jobs.events;

import java.util.Set;

/**
 * Which events a subscriber wants: any of {@code types} (all when empty), of one job, of jobs
 * carrying one tag; null fields do not filter.
 */
public record EventFilter(Set<String> types, String jobId, String tag) {

    public EventFilter {
        types = types == null ? Set.of() : Set.copyOf(types);
    }

    public static EventFilter all() {
        return new EventFilter(Set.of(), null, null);
    }

    public static EventFilter ofTypes(Set<String> types) {
        return new EventFilter(types, null, null);
    }

    public boolean matches(FeedEvent event) {
        return (types.isEmpty() || types.contains(event.type()))
                && (jobId == null || jobId.equals(event.jobId()))
                && (tag == null || event.tags().contains(tag));
    }
}
