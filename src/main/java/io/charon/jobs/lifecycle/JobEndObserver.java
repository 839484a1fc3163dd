package io.charon.jobs.lifecycle;

import io.charon.jobs.job.Job;

import java.time.Instant;

/**
 * Something that must follow a job's end in the very transaction that ends it (a workflow's next
 * step), so that a crash can neither lose the step nor let it happen twice. Implemented by the
 * packages that build on jobs; {@link JobEnds} calls every one.
 */
public interface JobEndObserver {

    /**
     * The job has just reached a terminal status; the caller holds its row lock and commits this
     * observer's writes with the job's. An exception rolls the job's end back with them: expected
     * refusals are the observer's to record, not to throw.
     */
    void jobEnded(Job job, Instant now);
}
