package io.charon.jobs.workflow;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** When a node with several incoming edges starts: once all are taken, or as soon as any one is. */
enum Convergence {
    ALL, ANY;

    static final String WIRE_NAMES = "all, any";

    static Optional<Convergence> fromWireName(String name) {
        return Arrays.stream(values()).filter(value -> value.wireName().equals(name)).findFirst();
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
