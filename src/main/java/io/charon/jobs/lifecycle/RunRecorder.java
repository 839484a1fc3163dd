package io.charon.jobs.lifecycle;

import io.charon.jobs.commit.ClaimingCommit;
import io.charon.jobs.commit.ClaimsAlongWrites;
import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.commit.GroupCommit;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.job.IllegalTransitionException;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobDiff;
import io.charon.jobs.queue.HostHolders;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.Requeue;
import io.charon.jobs.job.RetryPolicy;
import io.charon.jobs.job.RunResult;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.RowLocks;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Records what runs report: their progress, how they ended (through a group commit, so that
 * outcomes of runs ending together share one transaction), and how a run whose owner is gone is
 * settled. Every record is fenced by the run's claim token, read from the job's row locked for the
 * change: a cancel or rescue on another replica waits for the record, or the record for it.
 */
@ApplicationScoped
public class RunRecorder {

    /** The message of a job failed by the {@code fail} orphan policy or out of retries. */
    public static final String ORPHANED = "orphaned: the service stopped while it ran";

    private static final Logger LOG = Logger.getLogger(RunRecorder.class);
    /** Most run outcomes recorded in one group commit. */
    static final int OUTCOME_BATCH = 128;

    private final Store store;
    private final RowLocks rowLocks;
    private final EventRecorder events;
    private final JobEnds ends;
    private final RetryPolicy retryPolicy;
    private final GroupCommit<RunOutcome, Optional<JobStatus>> outcomes;

    public RunRecorder(Store store, RowLocks rowLocks, EventRecorder events, JobEnds ends,
                       JobsConfig config, ClaimingCommit commits) {
        this.store = store;
        this.rowLocks = rowLocks;
        this.events = events;
        this.ends = ends;
        this.retryPolicy = new RetryPolicy(config.maxRetryDelay());
        // each outcome frees its run's worker slot: the jobs claimed along may take it
        this.outcomes = new GroupCommit<>("charon-outcomes", OUTCOME_BATCH,
                batch -> RolledBackByConflict.retrying("a group commit of run outcomes", () -> commits.write(
                        ClaimsAlongWrites.Writer.OUTCOMES, batch.size(), () -> recordOutcomes(batch))));
    }

    @PreDestroy
    void stopGroupCommit() {
        outcomes.close();
    }

    /**
     * Stores a progress event of a running job, if the run holding {@code token} still owns it.
     *
     * @return false when the run no longer owns the job (cancelled, rescued, claimed again)
     */
    public boolean recordProgress(String jobId, long token, String message, String data) {
        return RolledBackByConflict.retrying("a progress record", () -> QuarkusTransaction.requiringNew().call(() -> {
            Job job = store.session().find(Job.class, jobId, LockModeType.PESSIMISTIC_WRITE);
            if (job == null || !job.isHeldBy(token)) {
                return false;
            }
            events.save(job.record(JobEventType.PROGRESS, message, data, events.now()));
            return true;
        }));
    }

    /**
     * Records how a run ended, without making the worker wait: the outcome joins the next group
     * commit. Fenced by the claim token: the result of a run that no longer owns the job (it was
     * cancelled, rescued or claimed again) changes nothing. Until the commit the job stays running
     * in the store; if it cannot be recorded, the lease runs out and the rescue rules settle it.
     *
     * @return completes with the job's status afterwards, or empty when the result was stale
     */
    public CompletableFuture<Optional<JobStatus>> finishRunLater(String jobId, long token, ExecutionOutcome outcome) {
        return outcomes.submit(new RunOutcome(jobId, token, outcome));
    }

    private record RunOutcome(String jobId, long token, ExecutionOutcome outcome) {
    }

    /** Records, in the caller's transaction, the outcomes of runs that ended at about the same time. */
    private List<GroupCommit.Result<Optional<JobStatus>>> recordOutcomes(List<RunOutcome> batch) {
        List<GroupCommit.Result<Optional<JobStatus>>> results = new ArrayList<>(batch.size());
        // one query for the batch's jobs, locked as they load; recordOutcome then finds each in the session
        List<String> ids = batch.stream().map(RunOutcome::jobId).distinct().toList();
        rowLocks.loadJobsForChange(store.session(), Job.class, ids);
        for (RunOutcome run : batch) {
            try {
                results.add(GroupCommit.Result.of(recordOutcome(run.jobId(), run.token(), run.outcome())));
            } catch (IllegalTransitionException e) {
                results.add(GroupCommit.Result.failed(e));
            }
        }
        return results;
    }

    private Optional<JobStatus> recordOutcome(String jobId, long token, ExecutionOutcome outcome) {
        Job job = store.session().find(Job.class, jobId);
        if (job == null || !job.isHeldBy(token)) {
            LOG.infof("ignoring the result of a stale run of job %s (token %d)", jobId, token);
            if (job == null || job.getStatus() != JobStatus.RUNNING) {
                // cancelled while it ran: its processes are gone now, and with them its hold on its hosts
                HostHolders.release(store.session(), jobId);
            }
            return Optional.empty();
        }
        Instant now = events.now();
        if (outcome.diff() != null) {
            // a check-mode run's diff replaces the previous run's, however the run ended
            store.session().merge(new JobDiff(jobId, outcome.diff()));
        }
        events.save(switch (outcome.kind()) {
            case SUCCEEDED -> job.finish(ended(JobStatus.COMPLETED, null, outcome), now);
            case FAILED -> retryOrEnd(job, JobStatus.FAILED, outcome, now);
            case TIMED_OUT -> retryOrEnd(job, JobStatus.TIMEOUT, outcome, now);
            case CANCELLED -> job.finish(ended(JobStatus.CANCELLED, outcome.error(), outcome), now);
            case INTERRUPTED -> job.requeue(Requeue.handBack("handed back: the service stopped while it ran",
                    outcome.exitCode(), outcome.outputTail()), now);
        });
        ends.followUp(job, now);
        return Optional.of(job.getStatus());
    }

    private static RunResult ended(JobStatus status, String error, ExecutionOutcome outcome) {
        return RunResult.of(status, outcome.exitCode(), error, outcome.outputTail(), outcome.hostStats(),
                outcome.artifacts());
    }

    /**
     * A run that ended {@code ending} (failed or timeout) runs again after the policy's backoff
     * if the job retries it ({@link Job#retriesAfter}); otherwise the job ends so.
     */
    private Job.RunEnd retryOrEnd(Job job, JobStatus ending, ExecutionOutcome outcome, Instant now) {
        if (!job.retriesAfter(ending, outcome.hostStats())) {
            return job.finish(ended(ending, outcome.error(), outcome), now);
        }
        int retry = job.getRetryCount() + 1;
        Instant next = now.plus(retryPolicy.delayBeforeRetry(retry, job.getRetryDelay()));
        return job.requeue(Requeue.retry(ending, next, outcome.error() + "; retry " + retry + " of "
                + job.getMaxRetries() + " at " + next, outcome.exitCode(), outcome.outputTail(), outcome.hostStats()), now);
    }

    /**
     * Settles a run whose owner is gone: its lease ran out, or this very instance owned it before
     * a restart. {@code requeue} runs it again as a new attempt while retries are left;
     * {@code fail} ends it at once. Fenced by the token like any outcome.
     *
     * @param ownedByMe true for this instance's own orphans, found at start-up: no lease check
     */
    public boolean rescueOrphan(String jobId, long token, JobsConfig.OrphanPolicy policy, boolean ownedByMe) {
        return RolledBackByConflict.retrying("an orphan's rescue", () -> QuarkusTransaction.requiringNew().call(() -> {
            // the fence must read the row as the run's own outcome, committed or waiting, leaves it
            Job job = store.session().find(Job.class, jobId, LockModeType.PESSIMISTIC_WRITE);
            Instant now = events.now();
            if (job == null || !job.isHeldBy(token)
                    || (!ownedByMe && job.getLeaseExpiresAt() != null && job.getLeaseExpiresAt().isAfter(now))) {
                return false;
            }
            if (policy == JobsConfig.OrphanPolicy.REQUEUE && job.hasRetriesLeft()) {
                events.save(job.requeue(Requeue.orphan(now, ORPHANED + " (run " + job.getLeaseToken() + " on "
                        + job.getLeaseOwner() + ")"), now));
            } else {
                events.save(job.finish(RunResult.orphaned(ORPHANED), now));
                ends.followUp(job, now);
            }
            return true;
        }));
    }
}
