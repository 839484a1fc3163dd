package io.charon.jobs.job;

import java.util.Locale;
import java.util.Optional;

/** What kind of work a job is; both kinds run a playbook, the type is for filtering and statistics. */
public enum JobType {
    ANSIBLE,
    PROVISIONING;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobType> fromWireName(String value) {
        for (JobType type : values()) {
            if (type.wireName().equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
