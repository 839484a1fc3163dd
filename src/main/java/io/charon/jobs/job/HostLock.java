package io.charon.jobs.job;

import java.util.Locale;
import java.util.Optional;

/**
 * How a job holds its hosts while it runs. An exclusive job does not start while a running job
 * holds any of its hosts; shared jobs run together on a host, never beside an exclusive one; a
 * job with none takes no lock and waits for none.
 */
public enum HostLock {
    EXCLUSIVE,
    SHARED,
    NONE;

    public static final String WIRE_NAMES = "exclusive, shared, none";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HostLock> fromWireName(String value) {
        for (HostLock lock : values()) {
            if (lock.wireName().equals(value)) {
                return Optional.of(lock);
            }
        }
        return Optional.empty();
    }
}
