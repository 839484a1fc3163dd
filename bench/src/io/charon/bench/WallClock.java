package io.charon.bench;

import java.time.Instant;

/**
 * Epoch nanoseconds, comparable with what the fake ansible-playbook records (the compiled one
 * through clock_gettime, the script through {@code date +%s%N}): all read the machine's
 * real-time clock. The JDK gives microseconds.
 */
final class WallClock {

    private WallClock() {
    }

    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
