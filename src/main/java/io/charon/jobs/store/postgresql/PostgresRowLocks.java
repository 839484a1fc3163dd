package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.RowLocks;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Row locks on PostgreSQL. Changes take {@code FOR NO KEY UPDATE}: as strong as needed against
 * other changes and {@code FOR SHARE}, yet the foreign-key checks of rows inserted beside the job
 * (its events, attempts) are not held up. One statement per set, whatever its size: an array
 * parameter rather than an {@code IN} list; jobs to change are locked by the statement that loads them.
 */
public class PostgresRowLocks implements RowLocks {

    @Override
    @SuppressWarnings("unchecked")
    public <T> List<T> loadJobsForChange(Session session, Class<T> jobType, Collection<String> ids) {
        if (ids.isEmpty()) {
            return new ArrayList<>();
        }
        // ORDER BY below the locking clause: the rows are locked in id order
        return session.createNativeQuery("SELECT j.* FROM jobs j WHERE j.id = ANY (?1) ORDER BY j.id"
                        + " FOR NO KEY UPDATE OF j", jobType)
                .setParameter(1, ids.toArray(new String[0]))
                .getResultList();
    }

    @Override
    public void lockJobsAgainstChange(Session session, Collection<String> ids) {
        lock(session, ids, "FOR SHARE");
    }

    @Override
    public String forChangeOfJ() {
        return " FOR NO KEY UPDATE OF j";
    }

    @Override
    public String forChangeOfJSkippingLocked() {
        return " FOR UPDATE OF j SKIP LOCKED";
    }

    private static void lock(Session session, Collection<String> ids, String clause) {
        if (ids.isEmpty()) {
            return;
        }
        // ORDER BY below the locking clause: the rows are locked in id order
        session.doWork(connection -> {
            Array array = connection.createArrayOf("text", ids.toArray());
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM jobs WHERE id = ANY (?) ORDER BY id " + clause)) {
                select.setArray(1, array);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        // each row is locked as it is read
                    }
                }
            } finally {
                array.free();
            }
        });
    }
}
