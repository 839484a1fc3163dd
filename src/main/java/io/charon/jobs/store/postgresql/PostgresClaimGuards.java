package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.ClaimGuards;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Guards as transaction-scoped advisory locks, one per stripe of the kind's key space: a key's
 * hash modulo {@link #STRIPES}, so that a claim of jobs on thousands of hosts takes at most that
 * many of the server's lock slots (shared by every connection: one per host ran it out of shared
 * memory). Two keys in one stripe only make a claim pass over a job for a moment. All are taken
 * in one round trip whatever their number.
 */
public class PostgresClaimGuards implements ClaimGuards {

    static final int STRIPES = 256;

    @Override
    public Set<String> tryTake(EntityManager session, Kind kind, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return session.unwrap(Session.class).doReturningWork(connection -> {
            Set<String> busy = new HashSet<>();
            Array array = connection.createArrayOf("text", keys.toArray());
            // each stripe is tried once, and every key learns whether its stripe was free
            try (PreparedStatement take = connection.prepareStatement("""
                    WITH keyed AS (SELECT k, (hashtext(k) & 2147483647) % ? AS stripe FROM unnest(?::text[]) AS k),
                         taken AS (SELECT stripe, pg_try_advisory_xact_lock(?, stripe) AS free
                                   FROM (SELECT DISTINCT stripe FROM keyed) AS stripes)
                    SELECT keyed.k FROM keyed JOIN taken USING (stripe) WHERE NOT taken.free""")) {
                take.setInt(1, STRIPES);
                take.setArray(2, array);
                take.setInt(3, kind.space());
                try (ResultSet rows = take.executeQuery()) {
                    while (rows.next()) {
                        busy.add(rows.getString(1));
                    }
                }
            } finally {
                array.free();
            }
            return busy;
        });
    }

    @Override
    public Map<String, Boolean> heldSinceSelection(EntityManager session, Collection<String> hosts) {
        if (hosts.isEmpty()) {
            return Map.of();
        }
        return session.unwrap(Session.class).doReturningWork(connection -> {
            Map<String, Boolean> held = new HashMap<>();
            Array array = connection.createArrayOf("text", hosts.toArray());
            try (PreparedStatement read = connection.prepareStatement(
                    "SELECT host, bool_or(exclusive) FROM host_locks WHERE host = ANY(?) GROUP BY host")) {
                read.setArray(1, array);
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        held.put(rows.getString(1), rows.getBoolean(2));
                    }
                }
            } finally {
                array.free();
            }
            return held;
        });
    }
}
