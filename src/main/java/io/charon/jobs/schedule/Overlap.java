package io.charon.jobs.schedule;

import java.util.Arrays;
import java.util.Optional;

/** What a slot does while the job of the previous slot has not ended. */
public enum Overlap {
    /** The slot is skipped (recorded as such). */
    SKIP("skip"),
    /** The slot fires anyway; its job waits as any job does (for held hosts, a queue's cap). */
    QUEUE("queue"),
    /** The slot fires, and the previous job is cancelled with it (a slot that does not fire cancels nothing). */
    CANCEL_PREVIOUS("cancel-previous");

    static final String WIRE_NAMES = "skip, queue, cancel-previous";

    private final String wireName;

    Overlap(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static Optional<Overlap> fromWireName(String name) {
        return Arrays.stream(values()).filter(value -> value.wireName.equals(name)).findFirst();
    }
}
