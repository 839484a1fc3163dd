package io.charon.jobs.lifecycle;

import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobConflictException;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.RunResult;
import io.charon.jobs.query.JobQueries;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.RolledBackByConflict;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Cancels jobs on a user's request; the jobs waiting on one fail with it. */
@ApplicationScoped
public class Canceller {

    private final JobQueries queries;
    private final EventRecorder events;
    private final JobEnds ends;
    private final AuditTrail audit;

    public Canceller(JobQueries queries, EventRecorder events, JobEnds ends, AuditTrail audit) {
        this.queries = queries;
        this.events = events;
        this.ends = ends;
        this.audit = audit;
    }

    /**
     * Cancels a job that has not ended. A waiting job ends at once; a running one ends now in the
     * store, which fences its run out, and its process tree is stopped once this commits (see
     * {@code Dispatcher}). Dependents fail as for any job that did not complete.
     *
     * @param outputTail the log tail of a running job at this moment, kept as its output
     */
    public Job cancel(String id, String userId, Function<Job, String> outputTail) {
        return RolledBackByConflict.retrying("a cancel", () -> QuarkusTransaction.requiringNew()
                .call(() -> cancelInTransaction(id, userId, outputTail)));
    }

    /**
     * As {@link #cancel}, in the caller's transaction: the job is cancelled if, and when, the
     * rest of that transaction commits (a schedule's slot cancels the previous slot's job so).
     *
     * @throws JobConflictException the job has ended; nothing was written
     */
    public Job cancelInTransaction(String id, String userId, Function<Job, String> outputTail) {
        // locked: an outcome recorded meanwhile on another replica either comes first or is fenced out
        Job job = queries.storedForChange(id);
        cancelLocked(job, userId, "cancelled by " + userId, outputTail);
        return job;
    }

    /**
     * As {@link #cancelInTransaction(String, String, Function)}, for a job whose row the caller
     * locked (a workflow run cancelling its nodes' jobs), with {@code reason} as its message.
     *
     * @throws JobConflictException the job has ended; nothing was written
     */
    public void cancelLocked(Job job, String userId, String reason, Function<Job, String> outputTail) {
        Instant now = events.now();
        switch (job.getStatus()) {
            case RUNNING -> events.save(job.finish(RunResult.cancelled(reason, outputTail.apply(job)), now));
            case QUEUED, SCHEDULED -> events.save(job.endWithoutRunning(JobStatus.CANCELLED, reason, now));
            default -> throw new JobConflictException("job " + job.getId() + " already ended "
                    + job.getStatus().wireName());
        }
        audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.JOB_CANCEL, job.getId(), null)));
        ends.followUp(job, now);
    }
}
