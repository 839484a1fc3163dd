package io.charon.jobs.workflow;

import java.util.Locale;

/**
 * Where a node of a run stands: {@code pending} until its incoming edges decide, {@code started}
 * once its job is launched, then {@code completed} or {@code failed} as its job ends (a job that
 * failed, timed out or was cancelled on its own fails its node; so does a launch the template
 * refused), {@code skipped} when its edges can no longer be satisfied, {@code cancelled} with the run.
 */
enum NodeStatus {
    PENDING, STARTED, COMPLETED, FAILED, SKIPPED, CANCELLED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static NodeStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    boolean hasEnded() {
        return this != PENDING && this != STARTED;
    }
}
