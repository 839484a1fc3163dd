package io.charon.jobs.queue;

import io.charon.jobs.job.Blocker;
import io.charon.jobs.job.HostLock;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobStatus;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who holds the hosts a queued job waits for, and giving them back. */
public final class HostHolders {

    private HostHolders() {
    }

    /**
     * The running jobs holding one of {@code job}'s hosts in a way its host lock excludes, with
     * the hosts each holds, by job id; none for a job not queued.
     */
    @SuppressWarnings("unchecked")
    public static List<Blocker> blockers(EntityManager session, Job job) {
        if (job.getStatus() != JobStatus.QUEUED || job.lockedHosts().isEmpty()) {
            return List.of();
        }
        List<Object[]> rows = session.createNativeQuery("""
                        SELECT held.job_id, holder.user_id, held.host
                        FROM job_hosts mine JOIN host_locks held ON held.host = mine.host JOIN jobs holder ON holder.id = held.job_id
                        WHERE mine.job_id = ?1 AND (?2 OR held.exclusive) ORDER BY held.job_id, held.host""")
                .setParameter(1, job.getId()).setParameter(2, job.getHostLock() == HostLock.EXCLUSIVE).getResultList();
        Map<List<String>, List<String>> hosts = new LinkedHashMap<>();
        rows.forEach(row -> hosts.computeIfAbsent(List.of((String) row[0], (String) row[1]), held -> new ArrayList<>())
                .add((String) row[2]));
        return hosts.entrySet().stream()
                .map(held -> new Blocker(held.getKey().get(0), held.getKey().get(1), List.copyOf(held.getValue()))).toList();
    }

    /** Gives back the hosts a job that no longer runs holds: a cancelled run's, once its processes are gone. */
    public static void release(EntityManager session, String jobId) {
        session.createNativeQuery("DELETE FROM host_locks WHERE job_id = ?1").setParameter(1, jobId).executeUpdate();
    }
}
