package io.charon.jobs.inventory;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a run does with a host's SSH host key, per inventory. {@code strict} accepts only the keys
 * in the inventory's {@code knownHosts}; {@code accept-new} also takes a host's first key and
 * records it into the inventory, refusing a changed one; {@code off} checks nothing (explicit,
 * audited).
 */
public enum HostKeyPolicy {
    STRICT("strict"),
    ACCEPT_NEW("accept-new"),
    OFF("off");

    private final String wireName;

    HostKeyPolicy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<HostKeyPolicy> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
}
