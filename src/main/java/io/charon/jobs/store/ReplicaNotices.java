package io.charon.jobs.store;

import java.util.function.Consumer;

/** Notices between the replicas sharing a store (see {@link StoreNotices}). */
public interface ReplicaNotices {

    /** Tells every replica {@code notice} with the current transaction's commit, once per transaction. */
    void send(StoreNotices.Notice notice);

    /** Hands every notice committed from now on, by any replica, to {@code heard}, until {@link #stop}. */
    void listen(Consumer<StoreNotices.Notice> heard);

    void stop();
}
