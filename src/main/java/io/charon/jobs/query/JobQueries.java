package io.charon.jobs.query;

import io.charon.jobs.job.Blocker;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobAttempt;
import io.charon.jobs.job.JobDiff;
import io.charon.jobs.job.RunDiff;
import io.charon.jobs.job.JobEvent;
import io.charon.jobs.job.JobFilter;
import io.charon.jobs.job.JobNotFoundException;
import io.charon.jobs.job.JobPage;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.RunLogs;
import io.charon.jobs.queue.HostHolders;
import io.charon.jobs.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads of jobs: one job, its runs, logs and events, counts, and the listing. They run outside
 * write transactions, since every SQLite write transaction takes the database's write lock.
 */
@ApplicationScoped
public class JobQueries {

    private final Store store;

    public JobQueries(Store store) {
        this.store = store;
    }

    /**
     * The job as stored now. Reads hand out detached snapshots: a later read in the same request
     * (as in a wait that outlives the job's run) must see the store, not the session's cache.
     */
    @ActivateRequestContext
    public Job find(String id) {
        Job job = stored(id);
        store.session().detach(job);
        return job;
    }

    /** Every closed run of the job, first to last. */
    @ActivateRequestContext
    public List<JobAttempt> attempts(String jobId) {
        return store.session().createSelectionQuery("from JobAttempt where jobId = :job order by number", JobAttempt.class)
                .setParameter("job", jobId).getResultList();
    }

    /** The diff of the job's last check-mode run; none for a job that made its changes or has not run. */
    @ActivateRequestContext
    public RunDiff diff(String jobId) {
        JobDiff diff = store.session().find(JobDiff.class, jobId);
        return diff == null ? RunDiff.NONE : diff.content();
    }

    /** The job in this transaction's session, for a change to it. */
    public Job stored(String id) {
        Job job = store.session().find(Job.class, id);
        if (job == null) {
            throw new JobNotFoundException(id);
        }
        return job;
    }

    /**
     * The job in this transaction's session, its row locked until the transaction ends (on
     * PostgreSQL; SQLite's write lock covers it already), for a change that depends on what it is
     * now. The first load of the job in the transaction: a job already in the session is not read again.
     */
    public Job storedForChange(String id) {
        Job job = store.session().find(Job.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (job == null) {
            throw new JobNotFoundException(id);
        }
        return job;
    }

    /** The log files of the job's runs so far, oldest first, including the one running now. */
    @ActivateRequestContext
    public RunLogs runLogs(String jobId) {
        Job job = find(jobId);
        List<RunLogs.RunLog> runs = new ArrayList<>();
        for (JobAttempt attempt : attempts(jobId)) {
            if (attempt.getLogPath() != null) {
                runs.add(new RunLogs.RunLog(attempt.getNumber(), attempt.getLogPath()));
            }
        }
        if (job.getStatus() == JobStatus.RUNNING && job.getLogPath() != null
                && runs.stream().noneMatch(run -> run.run() == job.getLeaseToken())) {
            runs.add(new RunLogs.RunLog(job.getLeaseToken(), job.getLogPath()));
        }
        return new RunLogs(runs, job.getStatus().isTerminal());
    }

    @ActivateRequestContext
    public List<JobEvent> events(String jobId) {
        find(jobId);
        return store.session().createSelectionQuery("from JobEvent where jobId = :job order by seq", JobEvent.class)
                .setParameter("job", jobId).getResultList();
    }

    /** What keeps a queued job from starting for its hosts: see {@link HostHolders#blockers}. */
    @ActivateRequestContext
    public List<Blocker> blockedBy(Job job) {
        return HostHolders.blockers(store.session(), job);
    }

    @ActivateRequestContext
    public long count(JobStatus status) {
        return store.session().createSelectionQuery("select count(*) from Job where status = :status", Long.class)
                .setParameter("status", status).getSingleResult();
    }

    /** Newest first, keyset-paged: see {@link JobListing}. */
    @ActivateRequestContext
    public JobPage list(JobFilter filter, int limit, String cursor) {
        return JobListing.page(store.session(), filter, limit, cursor);
    }
}
