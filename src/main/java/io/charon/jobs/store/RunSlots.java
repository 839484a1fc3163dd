package io.charon.jobs.store;

import jakarta.persistence.EntityManager;

import java.util.List;

/**
 * The cluster-wide cap on running jobs ({@code max-concurrent-jobs}) where replicas share the
 * store ({@link QueueSql#sharedByReplicas()}): numbered slots that a claim takes, one per job it
 * starts, and that the store gives back when the job stops running, by whichever path. Claims
 * never wait for each other's slots: each takes those no other claim holds. Where one process
 * uses the store, its worker pool caps its runs and there are no slots.
 */
public interface RunSlots {

    /** Makes slots 1 to {@code cap} exist; harmless to repeat, and while other replicas do the same. */
    void provide(EntityManager session, int cap);

    /**
     * A boolean SQL expression with one parameter, the cap: whether a slot up to it is free, as a
     * read outside any transaction sees it (a hint that a claim could succeed, not a promise).
     */
    String anyFree();

    /**
     * Takes up to {@code max} free slots numbered up to {@code cap} in the caller's transaction,
     * passing over those other transactions hold; the ones not {@link #seat seated} are free
     * again when it ends.
     */
    List<Integer> take(EntityManager session, int cap, int max);

    /**
     * Seats the jobs just claimed in slots {@link #take taken} in the same transaction, the
     * {@code i}-th job in the {@code i}-th slot, with one statement whatever their number.
     */
    void seat(EntityManager session, List<Integer> slots, List<String> jobIds);
}
