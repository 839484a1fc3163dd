package io.charon.jobs.support;

import io.charon.jobs.events.EventFilter;
import io.charon.jobs.events.EventHistory;
import io.charon.jobs.events.EventPosition;
import io.charon.jobs.events.FeedEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The event log as the store orders it, for comparing what readers received with what is stored. */
public final class EventLog {

    private static final int PAGE = 1000;

    private EventLog() {
    }

    /** The ids of the given jobs' stored events, in the event log's order. */
    public static List<Long> idsInLogOrder(EventHistory history, Collection<String> jobIds) {
        Set<String> wanted = new HashSet<>(jobIds);
        List<Long> ids = new ArrayList<>();
        EventPosition cursor = EventPosition.START;
        List<FeedEvent> page;
        do {
            page = history.after(cursor, EventFilter.all(), PAGE);
            page.stream().filter(event -> wanted.contains(event.jobId())).forEach(event -> ids.add(event.id()));
            if (!page.isEmpty()) {
                cursor = page.get(page.size() - 1).position();
            }
        } while (page.size() == PAGE);
        return ids;
    }

    /** The position an SSE message's id names. */
    public static EventPosition position(String sseId) {
        return EventPosition.parse(sseId).orElseThrow(() -> new AssertionError("not an event position: " + sseId));
    }
}
