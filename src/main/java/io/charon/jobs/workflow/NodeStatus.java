package io.charon.jobs.workflow;

import java.util.Locale;

/**
 * Where a node of a run stands: {@code pending} until its incoming edges decide, {@code started}
 * once its job is launched (an approval node: {@code waiting} for its decision), then
 * {@code completed} or {@code failed} as its job ends (a job that failed, timed out or was
 * cancelled on its own fails its node; so does a launch the template refused) or as its approval
 * is decided (approved; denied or timed out), {@code skipped} when its edges can no longer be
 * satisfied, {@code cancelled} with the run.
 */
enum NodeStatus {
    PENDING, STARTED, WAITING, COMPLETED, FAILED, SKIPPED, CANCELLED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static NodeStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    boolean hasEnded() {
        return this != PENDING && this != STARTED && this != WAITING;
    }
}
