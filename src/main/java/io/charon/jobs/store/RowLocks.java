package io.charon.jobs.store;

import org.hibernate.Session;

import java.util.Collection;
import java.util.List;

/**
 * Row locks of a write transaction that changes jobs based on what it read. On PostgreSQL,
 * transactions of several replicas and threads write at once, so such a transaction locks the rows
 * before it reads them; on SQLite one transaction writes at a time (each takes the write lock as
 * it begins), so there is nothing to lock and the clauses are empty.
 */
public interface RowLocks {

    /**
     * Loads the jobs among {@code ids} into the session, their rows locked against change by
     * anyone else until the transaction ends, in id order: two transactions locking overlapping
     * sets this way cannot deadlock on each other. The session reads them as the last commit left
     * them, with the locks taken in the same statement.
     *
     * @param jobType the jobs' entity class
     */
    <T> List<T> loadJobsForChange(Session session, Class<T> jobType, Collection<String> ids);

    /**
     * Locks the rows of the jobs among {@code ids} against change, not against other readers that
     * lock them so: taken by a submission on the jobs its job depends on, so that a parent cannot
     * end while its new dependent is not yet committed, unseen by the parent's failure cascade.
     */
    void lockJobsAgainstChange(Session session, Collection<String> ids);

    /**
     * The clause that ends a native selection of jobs (aliased {@code j}) which the transaction
     * goes on to change: the rows are locked as they are returned, and a row another transaction
     * changed meanwhile is tested again as that transaction left it.
     */
    String forChangeOfJ();

    /** As {@link #forChangeOfJ()}, but rows another transaction holds are left out instead of waited for. */
    String forChangeOfJSkippingLocked();
}
