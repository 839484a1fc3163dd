package io.charon.bench;

import java.util.concurrent.locks.LockSupport;

/** Polling pauses; the bench polls the service's HTTP API and the fake's record file. */
final class Pause {

    private Pause() {
    }

    static void millis(long millis) {
        LockSupport.parkNanos(millis * 1_000_000L);
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new ScenarioFailure("interrupted");
        }
    }

    /** Parks until {@code System.nanoTime()} reaches {@code deadline}. */
    static void until(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
