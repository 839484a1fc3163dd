package io.charon.jobs.workflow;

import io.charon.jobs.dispatch.ServiceLifecycle;
import io.charon.jobs.store.Store;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Denies the approval nodes whose timeout passed, every second. The due nodes are read without a
 * transaction; each is then denied in a transaction that locks its run's row and finds it still
 * waiting ({@link Approvals#expire}), so a timeout fires once across replicas, and, since a
 * waiting node keeps its deadline in the store, after a restart too.
 */
@ApplicationScoped
public class ApprovalTimeouts {

    private static final Logger LOG = Logger.getLogger(ApprovalTimeouts.class);
    /** The most nodes one sweep denies; the rest wait for the next one. */
    static final int BATCH = 500;

    private final Store store;
    private final Approvals approvals;
    private final ServiceLifecycle lifecycle;
    private final Clock clock;

    public ApprovalTimeouts(Store store, Approvals approvals, ServiceLifecycle lifecycle, Clock clock) {
        this.store = store;
        this.approvals = approvals;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    @Scheduled(every = "${charon.workflows.approval-sweep-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "charon-approval-timeouts")
    void scheduled() {
        // before start-up is done and once a shutdown began, the store may be closing: the next life sweeps
        if (!lifecycle.isStarted() || lifecycle.isDraining()) {
            return;
        }
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("approval timeouts could not be swept now (they will be on the next pass): %s", e.getMessage());
        }
    }

    /** Denies every approval node whose timeout has passed; returns how many this sweep denied. */
    public int sweep() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // the store's precision
        int denied = 0;
        for (RunNode.Key due : due(now)) {
            try {
                if (approvals.expire(due.runId(), due.node(), now)) {
                    denied++;
                }
            } catch (RuntimeException e) {
                LOG.warnf("the timeout of node %s of workflow run %s could not be applied now (it will be on the next"
                        + " pass): %s", due.node(), due.runId(), e.getMessage());
            }
        }
        return denied;
    }

    @ActivateRequestContext
    List<RunNode.Key> due(Instant now) {
        return store.session().createSelectionQuery("select n.key from RunNode n where n.waitingUntil <= :now"
                + " order by n.waitingUntil", RunNode.Key.class).setParameter("now", now).setMaxResults(BATCH)
                .getResultList();
    }
}
