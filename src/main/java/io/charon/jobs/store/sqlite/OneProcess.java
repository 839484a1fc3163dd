package io.charon.jobs.store.sqlite;

import io.charon.jobs.store.ClusterWork;
import io.charon.jobs.store.ReplicaNotices;
import io.charon.jobs.store.StoreNotices.Notice;

import java.util.function.Consumer;

/** A SQLite store has one process: no replica to tell anything, none to take turns with. */
public class OneProcess implements ReplicaNotices, ClusterWork {

    @Override
    public void send(Notice notice) {
        // nobody else to tell: local observers learn of commits by their own events
    }

    @Override
    public void listen(Consumer<Notice> heard) {
        // nobody else commits
    }

    @Override
    public void stop() {
        // nothing listens
    }

    @Override
    public boolean exclusively(long key, Runnable work) {
        work.run();
        return true;
    }

    @Override
    public boolean movesBetweenReplicas() {
        return false;
    }
}
