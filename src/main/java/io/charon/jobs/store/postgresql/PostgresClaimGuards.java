package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.ClaimGuards;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Guards as transaction-scoped advisory locks, one per key in the kind's key space (a key's hash
 * within it: two keys sharing a hash only make one claim pass over a job for a moment), all
 * taken in one round trip whatever their number.
 */
public class PostgresClaimGuards implements ClaimGuards {

    @Override
    public Set<String> tryTake(EntityManager session, Kind kind, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return session.unwrap(Session.class).doReturningWork(connection -> {
            Set<String> busy = new HashSet<>();
            Array array = connection.createArrayOf("text", keys.toArray());
            // every key is tried: the function sits in the select list, evaluated for each row
            try (PreparedStatement take = connection.prepareStatement(
                    "SELECT k, pg_try_advisory_xact_lock(?, hashtext(k)) FROM unnest(?) AS k")) {
                take.setInt(1, kind.space());
                take.setArray(2, array);
                try (ResultSet rows = take.executeQuery()) {
                    while (rows.next()) {
                        if (!rows.getBoolean(2)) {
                            busy.add(rows.getString(1));
                        }
                    }
                }
            } finally {
                array.free();
            }
            return busy;
        });
    }
}
