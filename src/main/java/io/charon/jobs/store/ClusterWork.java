package io.charon.jobs.store;

/** Work that one replica at a time may do across the cluster: the orphan sweep, the broker relay. */
public interface ClusterWork {

    /**
     * Runs {@code work} unless another replica runs work under the same key right now.
     *
     * @return whether {@code work} ran
     */
    boolean exclusively(long key, Runnable work);

    /**
     * Whether work under a key may run on other replicas between two runs here: what it keeps in
     * the store must then be read again at each run rather than trusted from memory.
     */
    boolean movesBetweenReplicas();
}
