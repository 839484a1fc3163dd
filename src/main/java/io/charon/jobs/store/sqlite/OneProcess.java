package io.charon.jobs.store.sqlite;

import io.charon.jobs.store.ClaimGuards;
import io.charon.jobs.store.ClusterWork;
import io.charon.jobs.store.ReplicaNotices;
import io.charon.jobs.store.RunSlots;
import io.charon.jobs.store.StoreNotices.Notice;

import jakarta.persistence.EntityManager;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A SQLite store has one process: no replica to tell anything, none to take turns with, no
 * cluster-wide cap on runs beyond its own worker pool's, no other claim to guard against.
 */
public class OneProcess implements ReplicaNotices, ClusterWork, RunSlots, ClaimGuards {

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

    @Override
    public void provide(EntityManager session, int cap) {
        // the worker pool caps the runs
    }

    @Override
    public String anyFree() {
        throw new UnsupportedOperationException("one process: its worker pool caps its runs");
    }

    @Override
    public List<Integer> take(EntityManager session, int cap, int max) {
        throw new UnsupportedOperationException("one process: its worker pool caps its runs");
    }

    @Override
    public void seat(EntityManager session, List<Integer> slots, List<String> jobIds) {
        throw new UnsupportedOperationException("one process: its worker pool caps its runs");
    }

    @Override
    public Set<String> tryTake(EntityManager session, Kind kind, Collection<String> keys) {
        return Set.of(); // its claims run one at a time
    }

    @Override
    public Map<String, Boolean> heldSinceSelection(EntityManager session, Collection<String> hosts) {
        return Map.of(); // nothing committed since the selection, which saw every lock
    }
}
