package io.charon.jobs.store;

import java.util.List;

/**
 * What the job queue's statements and claims differ in between the stores: the tables its
 * selections read (with the index named where a planner must be told, or the planner settings
 * that keep it on the index), how its selections lock what they take, and what a claim must
 * guard against.
 */
public interface QueueSql {

    /** The table expression, aliased {@code j}, that claimable jobs are selected from in claim order. */
    String claimFrom();

    /** Appended to the claim's selection: how it locks the rows it takes from other claimers. */
    String claimLocking();

    /**
     * Appended to the claim's checks of dependencies and host locks, each a correlated
     * {@code NOT EXISTS}: what keeps it a check of each candidate as the claim walks its index,
     * rather than a join over every dependency or lock that the planner must finish before the
     * first candidate comes out.
     */
    String checkPerCandidate();

    /**
     * Appended to the selection of the jobs that wait for held hosts, which reads the locks they
     * wait for as {@code held}: what keeps a lock read there from being given back until those
     * jobs are set aside, so that giving it back finds them ({@link io.charon.jobs.queue.HostWaits}).
     */
    String heldLocksKept();

    /** The table expression, aliased {@code j}, that scheduled jobs are selected from by due time. */
    String scheduleFrom();

    /**
     * Appended to the selection of due scheduled jobs, and of jobs past their start deadline: how
     * it locks them from other replicas doing the same.
     */
    String scheduleLocking();

    /** The table expression, aliased {@code j}, that jobs with a start deadline are selected from by deadline. */
    String startDeadlineFrom();

    /**
     * Statements run in the selecting transaction just before the claim's or the promotion's
     * selection, so that its plan walks its partial index in order and stops at its limit, with
     * or without table statistics; none where the selection names its index. They hold until
     * the transaction ends: after the queue's selections it only writes by key, which they leave
     * planned as before, so undoing them would be a round trip for nothing.
     */
    List<String> pinIndexWalk();

    /**
     * Statements run in a transaction before a selection written as cross joins, so that its
     * plan joins the tables in the order written, each looked up by key from the one before,
     * with or without statistics; none where cross joins are walked in that order anyway.
     */
    List<String> keepJoinOrder();

    /**
     * Whether a claim may ride along inside any other write transaction: true where a claim
     * there is as safe as one of its own (SQLite: every write transaction holds the database's
     * write lock from its start; PostgreSQL: claims lock only the rows and slots they take,
     * passing over locked ones, so they wait for no other write).
     */
    boolean claimsAlongOtherWrites();

    /**
     * Whether other replicas claim from the same queue: a claim then takes a {@link RunSlots slot}
     * per job under the cluster-wide {@code max-concurrent-jobs}, and first looks, without a
     * transaction, whether it could find anything at all.
     */
    boolean sharedByReplicas();
}
