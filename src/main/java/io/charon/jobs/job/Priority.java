package io.charon.jobs.job;

import java.util.Locale;
import java.util.Optional;

/** Claim order: a higher value runs first; FIFO within one priority. */
public enum Priority {
    LOW(1),
    NORMAL(5),
    HIGH(10),
    CRITICAL(15);

    private final int value;

    Priority(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts a name ({@code "high"}) or its number ({@code "10"}). */
    public static Optional<Priority> parse(String text) {
        for (Priority priority : values()) {
            if (priority.wireName().equalsIgnoreCase(text) || String.valueOf(priority.value).equals(text)) {
                return Optional.of(priority);
            }
        }
        return Optional.empty();
    }

    public static Priority ofValue(int value) {
        for (Priority priority : values()) {
            if (priority.value == value) {
                return priority;
            }
        }
        throw new IllegalArgumentException("no priority has the value " + value);
    }
}
