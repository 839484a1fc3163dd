package io.charon.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The events a store holds, read straight from its {@code job_events} table (the same on SQLite
 * and PostgreSQL), to compare with what SSE subscribers received: the ids of every event but
 * those of one job left out (the one that proved the subscribers connected), sorted. Nothing is
 * assumed of the ids' order of delivery, only that each is one stored event.
 */
record StoredEvents(long[] ids, long[] leftOut, long total) {

    static StoredEvents read(StoreLocation store, String leftOutJob) {
        try (Connection db = store.connect();
             PreparedStatement query = db.prepareStatement("SELECT id, job_id FROM job_events")) {
            long[] ids = new long[1024];
            int count = 0;
            long[] leftOut = new long[16];
            int left = 0;
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    if (leftOutJob.equals(rows.getString(2))) {
                        leftOut = left == leftOut.length ? Arrays.copyOf(leftOut, left * 2) : leftOut;
                        leftOut[left++] = id;
                    } else {
                        ids = count == ids.length ? Arrays.copyOf(ids, count * 2) : ids;
                        ids[count++] = id;
                    }
                }
            }
            long[] window = Arrays.copyOf(ids, count);
            long[] excluded = Arrays.copyOf(leftOut, left);
            Arrays.sort(window);
            Arrays.sort(excluded);
            return new StoredEvents(window, excluded, count + left);
        } catch (SQLException e) {
            throw new ScenarioFailure("cannot read the events back from " + store.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    /** {@code received} in its order, without the left-out job's events. */
    long[] window(long[] received) {
        return Arrays.stream(received).filter(id -> Arrays.binarySearch(leftOut, id) < 0).toArray();
    }

    /**
     * Stored events not received, plus events received more than once (each extra time), plus
     * events received that the store does not hold: 0 when {@code received} is the stored set exactly once.
     */
    long discrepancies(long[] received) {
        Comparison comparison = compare(received);
        return comparison.missing().length + comparison.repeats() + comparison.unknown();
    }

    /** What {@link #discrepancies} counts, in words, with a few of the ids not received. */
    String describe(long[] received) {
        Comparison c = compare(received);
        return c.missing().length + " not received" + (c.missing().length == 0 ? ""
                : " (e.g. ids " + Arrays.toString(Arrays.copyOf(c.missing(), Math.min(5, c.missing().length))) + ")")
                + ", " + c.repeats() + " received again, " + c.unknown() + " received but not stored";
    }

    private record Comparison(long[] missing, long repeats, long unknown) {
    }

    private Comparison compare(long[] received) {
        long[] sorted = received.clone();
        Arrays.sort(sorted);
        long repeats = 0;
        long unknown = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                repeats++;
            } else if (Arrays.binarySearch(ids, sorted[i]) < 0) {
                unknown++;
            }
        }
        long[] missing = Arrays.stream(ids).filter(id -> Arrays.binarySearch(sorted, id) < 0).toArray();
        return new Comparison(missing, repeats, unknown);
    }
}
