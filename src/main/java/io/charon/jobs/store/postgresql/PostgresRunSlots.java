package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.RunSlots;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * Slots as rows of {@code run_slots}. A claim locks free ones with {@code FOR UPDATE SKIP LOCKED},
 * so two replicas claiming at once take different slots and neither waits; a slot another
 * transaction is giving back counts as taken until that commits. The trigger on {@code jobs}
 * (migration V9) frees a job's slot in the transaction that takes it out of running.
 */
public class PostgresRunSlots implements RunSlots {

    @Override
    public void provide(EntityManager session, int cap) {
        session.createNativeQuery("""
                        INSERT INTO run_slots (slot) SELECT generate_series(1, ?1)
                        ON CONFLICT (slot) DO NOTHING""")
                .setParameter(1, cap).executeUpdate();
    }

    @Override
    public String anyFree() {
        return "EXISTS (SELECT 1 FROM run_slots WHERE job_id IS NULL AND slot <= ?)";
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Integer> take(EntityManager session, int cap, int max) {
        List<Number> slots = session.createNativeQuery("""
                        SELECT slot FROM run_slots WHERE job_id IS NULL AND slot <= ?1
                        ORDER BY slot LIMIT ?2 FOR UPDATE SKIP LOCKED""")
                .setParameter(1, cap).setParameter(2, max).getResultList();
        return slots.stream().map(Number::intValue).toList();
    }

    @Override
    public void seat(EntityManager session, List<Integer> slots, List<String> jobIds) {
        // arrays rather than a statement per job: one round trip and one statement text for any number
        session.unwrap(Session.class).doWork(connection -> {
            Array slotArray = connection.createArrayOf("integer", slots.toArray());
            Array jobArray = connection.createArrayOf("text", jobIds.toArray());
            try (PreparedStatement seat = connection.prepareStatement(
                    "UPDATE run_slots s SET job_id = seated.job_id FROM unnest(?, ?) AS seated (slot, job_id)"
                            + " WHERE s.slot = seated.slot")) {
                seat.setArray(1, slotArray);
                seat.setArray(2, jobArray);
                seat.executeUpdate();
            } finally {
                slotArray.free();
                jobArray.free();
            }
        });
    }
}
