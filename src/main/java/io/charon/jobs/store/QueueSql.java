package io.charon.jobs.store;

/**
 * What the job queue's statements and claims differ in between the stores: the tables its
 * selections read (with the index named where a planner must be told), how a claim's selection
 * locks what it takes, and what a claim must guard against.
 */
public interface QueueSql {

    /** The table expression, aliased {@code j}, that claimable jobs are selected from in claim order. */
    String claimFrom();

    /** Appended to the claim's selection: how it locks the rows it takes from other claimers. */
    String claimLocking();

    /** The table expression, aliased {@code j}, that scheduled jobs are selected from by due time. */
    String scheduleFrom();

    /**
     * Whether a claim may ride along inside any other write transaction: true where every write
     * transaction holds the store's write lock from its start, so a claim inside it is as safe
     * as one of its own.
     */
    boolean claimsAlongOtherWrites();

    /**
     * Whether other replicas claim from the same queue: a claim then counts the whole cluster's
     * running jobs against {@code max-concurrent-jobs}, and first looks, without a transaction,
     * whether it could find anything at all.
     */
    boolean sharedByReplicas();
}
