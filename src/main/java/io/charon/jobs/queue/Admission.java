package io.charon.jobs.queue;

import io.charon.jobs.job.HostLock;
import io.charon.jobs.job.Job;
import io.charon.jobs.store.ClaimGuards;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of the jobs one claim selected may start: host locks and queue caps. The claim's
 * selection already passes over jobs whose hosts committed locks hold, and over closed queues
 * (paused, or at their cap when the claim began); what it cannot see is checked here: the jobs
 * of the same claim among themselves, and, where replicas claim at once, what the others
 * committed since the selection read. For that, the claim first takes the {@link ClaimGuards
 * guards} of the hosts and capped queues it is about to use, then reads their state again.
 */
final class Admission {

    private final EntityManager session;
    private final ClaimGuards guards;
    private final boolean otherClaimers;
    private final List<String> closedQueues = new ArrayList<>();
    /** Capped queues still open: how many more of their jobs may start. */
    private final Map<String, Integer> room = new HashMap<>();
    /** Hosts that jobs admitted by this claim hold, exclusively or shared. */
    private final Set<String> exclusive = new HashSet<>();
    private final Set<String> shared = new HashSet<>();

    private Admission(EntityManager session, ClaimGuards guards, boolean otherClaimers) {
        this.session = session;
        this.guards = guards;
        this.otherClaimers = otherClaimers;
    }

    /** Opens a claim's admission: which queues are closed to it and how much room the capped ones have. */
    @SuppressWarnings("unchecked")
    static Admission open(EntityManager session, ClaimGuards guards, Map<String, QueueSettings.Setting> restricted,
                          boolean otherClaimers) {
        Admission admission = new Admission(session, guards, otherClaimers);
        Map<String, Integer> caps = new HashMap<>();
        restricted.values().forEach(queue -> {
            if (queue.paused()) {
                admission.closedQueues.add(queue.name());
            } else {
                caps.put(queue.name(), queue.maxConcurrent());
            }
        });
        if (caps.isEmpty()) {
            return admission;
        }
        // another replica claiming from a capped queue right now: passed over until it has committed
        Set<String> busy = guards.tryTake(session, ClaimGuards.Kind.QUEUE, caps.keySet());
        busy.forEach(queue -> {
            caps.remove(queue);
            admission.closedQueues.add(queue);
        });
        Map<String, Integer> running = new HashMap<>();
        if (!caps.isEmpty()) {
            List<Object[]> rows = session.createNativeQuery(
                            "SELECT queue, COUNT(*) FROM jobs WHERE status = 'running' AND queue IN (?1) GROUP BY queue")
                    .setParameter(1, caps.keySet()).getResultList();
            rows.forEach(row -> running.put((String) row[0], ((Number) row[1]).intValue()));
        }
        caps.forEach((queue, cap) -> {
            int left = cap - running.getOrDefault(queue, 0);
            if (left <= 0) {
                admission.closedQueues.add(queue);
            } else {
                admission.room.put(queue, left);
            }
        });
        return admission;
    }

    /** The queues none of whose jobs this claim may start. */
    List<String> closedQueues() {
        return closedQueues;
    }

    /** The selected jobs that may start, in the selection's order; the rest stay queued. */
    List<Job> admit(List<Job> selected) {
        Map<Job, List<String>> hostsOf = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (Job job : selected) {
            List<String> hosts = job.lockedHosts();
            hostsOf.put(job, hosts);
            wanted.addAll(hosts);
        }
        Set<String> busy = guards.tryTake(session, ClaimGuards.Kind.HOST, wanted);
        Map<String, Boolean> committed = otherClaimers ? heldLocks(wanted) : Map.of();
        List<Job> admitted = new ArrayList<>();
        for (Job job : selected) {
            Integer left = room.get(job.getQueue());
            if (left != null && left <= 0) {
                continue;
            }
            List<String> hosts = hostsOf.get(job);
            boolean wantsExclusive = job.getHostLock() == HostLock.EXCLUSIVE;
            boolean free = hosts.stream().noneMatch(host -> busy.contains(host) || exclusive.contains(host)
                    || (wantsExclusive && shared.contains(host))
                    || (committed.containsKey(host) && (wantsExclusive || committed.get(host))));
            if (!free) {
                continue;
            }
            if (left != null) {
                room.put(job.getQueue(), left - 1);
            }
            (wantsExclusive ? exclusive : shared).addAll(hosts);
            admitted.add(job);
        }
        return admitted;
    }

    /** Writes the host locks of jobs just started, in the claim's transaction. */
    void lock(List<Job> started) {
        if (started.stream().allMatch(job -> job.lockedHosts().isEmpty())) {
            return;
        }
        session.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO host_locks (host, job_id, exclusive) VALUES (?, ?, ?)")) {
                for (Job job : started) {
                    for (String host : job.lockedHosts()) {
                        insert.setString(1, host);
                        insert.setString(2, job.getId());
                        insert.setBoolean(3, job.getHostLock() == HostLock.EXCLUSIVE);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        });
    }

    /** The hosts among {@code hosts} that running jobs hold as the last commit left them: true where one holds it exclusively. */
    @SuppressWarnings("unchecked")
    private Map<String, Boolean> heldLocks(Set<String> hosts) {
        if (hosts.isEmpty()) {
            return Map.of();
        }
        Map<String, Boolean> held = new HashMap<>();
        List<Object[]> rows = session.createNativeQuery("SELECT host, exclusive FROM host_locks WHERE host IN (?1)")
                .setParameter(1, hosts).getResultList();
        rows.forEach(row -> held.merge((String) row[0], isTrue(row[1]), Boolean::logicalOr));
        return held;
    }

    private static boolean isTrue(Object value) {
        return value instanceof Boolean flag ? flag : ((Number) value).intValue() != 0;
    }
}
