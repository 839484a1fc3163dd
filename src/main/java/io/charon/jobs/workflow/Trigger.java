package io.charon.jobs.workflow;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which end of its {@code from} node an edge follows: a completed one, a failed one, or either. */
enum Trigger {
    SUCCESS, FAILURE, ALWAYS;

    static final String WIRE_NAMES = "success, failure, always";

    static Optional<Trigger> fromWireName(String name) {
        return Arrays.stream(values()).filter(value -> value.wireName().equals(name)).findFirst();
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether an edge on this trigger follows a node that ended {@code status} (completed or failed). */
    boolean follows(NodeStatus status) {
        return switch (this) {
            case SUCCESS -> status == NodeStatus.COMPLETED;
            case FAILURE -> status == NodeStatus.FAILED;
            case ALWAYS -> status == NodeStatus.COMPLETED || status == NodeStatus.FAILED;
        };
    }
}
