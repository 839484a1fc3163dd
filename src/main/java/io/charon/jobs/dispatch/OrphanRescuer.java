package io.charon.jobs.dispatch;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.lifecycle.RunRecorder;
import io.charon.jobs.queue.JobQueue;
import io.charon.jobs.store.ClusterWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;

/**
 * Keeps the leases of this instance's runs fresh, and settles runs whose owner is gone by the
 * orphan policy: at start-up (this instance's own runs from before a restart) and periodically
 * (any run whose lease ran out, whichever instance owned it).
 */
@ApplicationScoped
public class OrphanRescuer {

    private static final Logger LOG = Logger.getLogger(OrphanRescuer.class);
    private static final int BATCH = 200;
    /** Advisory lock key: one periodic sweep at a time across replicas. */
    static final long SWEEP_LOCK = 0x636861726f6e01L;

    private final JobQueue queue;
    private final RunRecorder jobs;
    private final RunningJobs running;
    private final InstanceIdentity instance;
    private final JobsConfig config;
    private final ClusterWork cluster;
    /** The service's runs have ended and its store is about to close, under a sweep or renewal perhaps. */
    private volatile boolean stopping;
    /** Start-up has stopped the previous life's processes and settled its runs; sweeps wait for it. */
    private volatile boolean startedUp;

    public OrphanRescuer(JobQueue queue, RunRecorder jobs, RunningJobs running, InstanceIdentity instance, JobsConfig config,
                         ClusterWork cluster) {
        this.cluster = cluster;
        this.queue = queue;
        this.jobs = jobs;
        this.running = running;
        this.instance = instance;
        this.config = config;
    }

    @Scheduled(every = "${charon.jobs.lease-renew-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-lease-renewal")
    void renewLeases() {
        try {
            for (String lost : queue.renewLeases(instance.id(), running.tokens())) {
                // cancelled or rescued through another instance: this run's results would be ignored anyway
                LOG.infof("job %s is no longer this instance's to run; stopping its run", lost);
                running.stop(lost, ExecutionOutcome.Kind.CANCELLED);
            }
        } catch (RuntimeException e) {
            warnUnlessStopping("could not renew leases, retrying at the next interval: %s", e);
        }
    }

    @Scheduled(every = "${charon.jobs.rescue-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-orphan-rescue")
    void sweep() {
        if (!startedUp) {
            // the scheduler starts with the service: a sweep now would settle the previous life's
            // runs (their leases may have lapsed) while their processes still work, and a new
            // attempt could run beside them
            return;
        }
        try {
            cluster.exclusively(SWEEP_LOCK, () -> rescue(false));
        } catch (RuntimeException e) {
            warnUnlessStopping("orphan sweep failed, retrying at the next interval: %s", e);
        }
    }

    /** After the worker pool has stopped (leases matter until then), just before the store closes. */
    void onStop(@Observes @Priority(ServiceLifecycle.AFTER_SERVICE_LIFECYCLE) ShutdownEvent event) {
        stopping = true;
    }

    /** A failure because the store closed at shutdown is expected, and no reason for a warning. */
    private void warnUnlessStopping(String format, RuntimeException e) {
        if (stopping) {
            LOG.debugf(format, e.getMessage());
        } else {
            LOG.warnf(format, e.getMessage());
        }
    }

    /**
     * At start-up, once the processes this instance's previous life left running are stopped and
     * before it claims: settles its own runs (all orphans now) and those whose lease lapsed, and
     * lets the periodic sweeps begin. Returns how many runs it settled.
     */
    public int rescueAtStartUp() {
        int rescued = rescue(true);
        startedUp = true;
        return rescued;
    }

    /**
     * Settles every orphan found now; returns how many. Runs under way here are never orphans.
     *
     * @param includeOwn also every run this instance holds: only at start-up, before it claims,
     *                   since later a fresh claim is held before its run is registered
     */
    public int rescue(boolean includeOwn) {
        queue.releaseStrayLocks(includeOwn ? instance.id() : null);
        int rescued = 0;
        while (true) {
            Set<String> mine = running.jobIds();
            List<JobQueue.Run> orphans = queue.orphans(includeOwn ? instance.id() : null, BATCH).stream()
                    .filter(run -> !mine.contains(run.jobId())).toList();
            int settled = 0;
            for (JobQueue.Run run : orphans) {
                boolean own = includeOwn && instance.id().equals(run.owner());
                if (jobs.rescueOrphan(run.jobId(), run.token(), config.orphanPolicy(), own)) {
                    settled++;
                }
            }
            rescued += settled;
            if (settled > 0) {
                LOG.infof("settled %d orphaned runs by the %s policy", settled, config.orphanPolicy().wireName());
            }
            if (orphans.size() < BATCH || settled == 0) {
                return rescued;
            }
        }
    }
}
