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
 * (paused, or found full); what it cannot see is checked here: the jobs of the same claim among
 * themselves, and, where replicas claim at once, what the others committed since the selection
 * read. For that, the claim takes the {@link ClaimGuards guards} of the hosts and capped queues
 * of the jobs it selected, then reads their state again under them.
 */
final class Admission {

    private final EntityManager session;
    private final ClaimGuards guards;
    /** Paused queues, and capped ones that are full or another claim is filling: none of their jobs start. */
    private final Set<String> closedQueues = new LinkedHashSet<>();
    /** The caps of the capped queues not closed. */
    private final Map<String, Integer> caps = new HashMap<>();
    /** Capped queues this claim holds the guard of: how many more of their jobs may start. */
    private final Map<String, Integer> room = new HashMap<>();
    /** Hosts that jobs admitted by this claim hold, exclusively or shared. */
    private final Set<String> exclusive = new HashSet<>();
    private final Set<String> shared = new HashSet<>();

    private Admission(EntityManager session, ClaimGuards guards) {
        this.session = session;
        this.guards = guards;
    }

    /**
     * Opens a claim's admission: paused queues are closed to it, and so are capped ones full as
     * the last commit left them (read without their guard: a hint that spares the selection
     * their jobs; whether one more may start is decided under the guard).
     */
    static Admission open(EntityManager session, ClaimGuards guards, Map<String, QueueSettings.Setting> restricted) {
        Admission admission = new Admission(session, guards);
        restricted.values().forEach(queue -> {
            if (queue.paused()) {
                admission.closedQueues.add(queue.name());
            } else {
                admission.caps.put(queue.name(), queue.maxConcurrent());
            }
        });
        if (!admission.caps.isEmpty()) {
            Map<String, Integer> running = admission.running(admission.caps.keySet());
            admission.caps.forEach((queue, cap) -> {
                if (running.getOrDefault(queue, 0) >= cap) {
                    admission.closedQueues.add(queue);
                }
            });
        }
        return admission;
    }

    /** The queues none of whose jobs this claim may start; it grows as the claim fills capped queues. */
    List<String> closedQueues() {
        return List.copyOf(closedQueues);
    }

    /** The selected jobs that may start, in the selection's order; the rest stay queued. */
    List<Job> admit(List<Job> selected) {
        guardQueuesOf(selected);
        Map<Job, List<String>> hostsOf = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (Job job : selected) {
            List<String> hosts = job.lockedHosts();
            hostsOf.put(job, hosts);
            wanted.addAll(hosts);
        }
        Set<String> busy = guards.tryTake(session, ClaimGuards.Kind.HOST, wanted);
        Map<String, Boolean> committed = guards.heldSinceSelection(session, wanted);
        List<Job> admitted = new ArrayList<>();
        for (Job job : selected) {
            String queue = job.getQueue();
            Integer left = room.get(queue);
            if (closedQueues.contains(queue)) {
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
                room.put(queue, left - 1);
                if (left == 1) {
                    closedQueues.add(queue);
                }
            }
            (wantsExclusive ? exclusive : shared).addAll(hosts);
            admitted.add(job);
        }
        return admitted;
    }

    /**
     * Takes the guards of the capped queues of {@code selected} that this claim has not yet
     * guarded, and counts their running jobs under them; a queue another claim is filling right
     * now is closed to this one.
     */
    private void guardQueuesOf(List<Job> selected) {
        Set<String> unguarded = new HashSet<>();
        selected.stream().map(Job::getQueue)
                .filter(queue -> caps.containsKey(queue) && !room.containsKey(queue) && !closedQueues.contains(queue))
                .forEach(unguarded::add);
        if (unguarded.isEmpty()) {
            return;
        }
        Set<String> busy = guards.tryTake(session, ClaimGuards.Kind.QUEUE, unguarded);
        closedQueues.addAll(busy);
        unguarded.removeAll(busy);
        Map<String, Integer> running = running(unguarded);
        for (String queue : unguarded) {
            int left = caps.get(queue) - running.getOrDefault(queue, 0);
            room.put(queue, Math.max(left, 0));
            if (left <= 0) {
                closedQueues.add(queue);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Integer> running(Set<String> queues) {
        Map<String, Integer> running = new HashMap<>();
        if (queues.isEmpty()) {
            return running;
        }
        List<Object[]> rows = session.createNativeQuery(
                        "SELECT queue, COUNT(*) FROM jobs WHERE status = 'running' AND queue IN (?1) GROUP BY queue")
                .setParameter(1, queues).getResultList();
        rows.forEach(row -> running.put((String) row[0], ((Number) row[1]).intValue()));
        return running;
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
}
