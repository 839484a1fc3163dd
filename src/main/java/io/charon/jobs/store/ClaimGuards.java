package io.charon.jobs.store;

import jakarta.persistence.EntityManager;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What keeps claims of several replicas from starting, each on a check the other has not yet
 * committed, two jobs that may not run together: two exclusive jobs on one host, or one job
 * too many in a capped queue. Before a claim reads what holds a host or fills a queue, it takes
 * a guard on it, held until its transaction ends; a claim of another replica that wants the
 * same guard passes over that job for now instead of waiting, and reads the first claim's
 * writes once it has committed. Where one process uses the store, its claims run one at a
 * time, their selections see every lock, and there is nothing to guard or to read again.
 */
public interface ClaimGuards {

    /** What a guard protects: the keys of different kinds never contend. */
    enum Kind {
        HOST(0x686f7374),
        QUEUE(0x71756575);

        private final int space;

        Kind(int space) {
            this.space = space;
        }

        public int space() {
            return space;
        }
    }

    /**
     * Takes the guards of {@code keys} for the rest of the caller's transaction, without waiting;
     * a guard the transaction already holds is taken again.
     *
     * @return the keys whose guard another transaction holds
     */
    Set<String> tryTake(EntityManager session, Kind kind, Collection<String> keys);

    /**
     * The hosts among {@code hosts} that running jobs hold as the last commit left them, read
     * after their guards were taken: true where one holds it exclusively. Empty where one process
     * uses the store.
     */
    Map<String, Boolean> heldSinceSelection(EntityManager session, Collection<String> hosts);
}
