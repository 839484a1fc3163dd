package io.charon.jobs.events;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an event lies in the event log, the order every reader agrees on: the ordinal of the
 * transaction that wrote it, then its id (see {@link io.charon.jobs.store.EventLogSql}). Clients
 * get it as an opaque cursor (the SSE id) and hand it back to resume. Where the ordinal is 0
 * (SQLite, and events stored before positions had two halves) the cursor is the id alone.
 */
public record EventPosition(long transaction, long id) implements Comparable<EventPosition> {

    /** Before every event. */
    public static final EventPosition START = new EventPosition(0, 0);

    private static final Pattern CURSOR = Pattern.compile("(?:(\\d{1,18})-)?(\\d{1,18})");

    public EventPosition {
        if (transaction < 0 || id < 0) {
            throw new IllegalArgumentException("an event position is never negative");
        }
    }

    /** Reads a cursor made by {@link #cursor()}; empty when {@code text} is not one. */
    public static java.util.Optional<EventPosition> parse(String text) {
        Matcher parts = CURSOR.matcher(text.trim());
        if (!parts.matches()) {
            return java.util.Optional.empty();
        }
        long transaction = parts.group(1) == null ? 0 : Long.parseLong(parts.group(1));
        return java.util.Optional.of(new EventPosition(transaction, Long.parseLong(parts.group(2))));
    }

    /** The cursor clients resume from. */
    public String cursor() {
        return transaction == 0 ? Long.toString(id) : transaction + "-" + id;
    }

    public boolean isAfter(EventPosition other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(EventPosition other) {
        int byTransaction = Long.compare(transaction, other.transaction);
        return byTransaction != 0 ? byTransaction : Long.compare(id, other.id);
    }
}
