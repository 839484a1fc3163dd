package io.charon.jobs.schedule;

import java.util.Arrays;
import java.util.Optional;

/** What happens to slots that passed while no firer ran (an outage, a stop). */
public enum Misfire {
    /** The latest missed slot fires once, if still within the schedule's start deadline; the others are missed. */
    RUN_ONCE("run-once"),
    /** None fires: all are missed. */
    SKIP("skip");

    static final String WIRE_NAMES = "run-once, skip";

    private final String wireName;

    Misfire(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static Optional<Misfire> fromWireName(String name) {
        return Arrays.stream(values()).filter(value -> value.wireName.equals(name)).findFirst();
    }
}
