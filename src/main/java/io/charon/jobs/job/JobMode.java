package io.charon.jobs.job;

import java.util.Locale;
import java.util.Optional;

/**
 * How a job runs its playbook: {@code run} makes the changes; {@code check} only reports what it
 * would change ({@code ansible-playbook --check --diff}), each host's per-task diff kept with the job.
 */
public enum JobMode {
    RUN,
    CHECK;

    public static final String WIRE_NAMES = "run, check";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobMode> fromWireName(String value) {
        for (JobMode mode : values()) {
            if (mode.wireName().equals(value)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
