package io.charon.jobs.job;

import java.time.Instant;

/**
 * The instants the service accepts, from any field or parameter, and stores: from
 * 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z, both included. Both stores hold every instant
 * of it (SQLite as milliseconds since the epoch, PostgreSQL as {@code timestamptz}); outside it,
 * SQLite's milliseconds overflow near the year 292 million, PostgreSQL ends at 294276, and JDBC's
 * conversions change calendar before 1582. It is also the range of four-digit ISO-8601 years,
 * which every client can write and read back; and adding the longest duration the service
 * accepts to its last instant stays far within {@link Instant}'s range.
 */
public final class InstantRange {

    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** As error messages and the API description say it. */
    public static final String TEXT = "between " + EARLIEST + " and " + LATEST;

    private InstantRange() {
    }

    public static boolean contains(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}
