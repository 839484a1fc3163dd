package io.charon.jobs.inventory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An inventory's hosts and groups as Ansible sees them: {@code hosts} (name to variables),
 * {@code groups} (name to member hosts, child groups and variables) and {@code vars} for all
 * hosts. Values are literal text: they are written so that Ansible never templates them.
 * Stored as JSON in the inventory's row and in each of its versions.
 */
public record InventoryDocument(Map<String, Map<String, String>> hosts, Map<String, Group> groups,
                                Map<String, String> vars) {

    public InventoryDocument {
        hosts = hosts == null ? Map.of() : copy(hosts);
        groups = groups == null ? Map.of() : new TreeMap<>(groups);
        vars = vars == null ? Map.of() : new TreeMap<>(vars);
    }

    /** A group: its own hosts, its child groups (whose hosts are members too) and its variables. */
    public record Group(List<String> hosts, List<String> children, Map<String, String> vars) {

        public Group {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
            children = children == null ? List.of() : List.copyOf(children);
            vars = vars == null ? Map.of() : new TreeMap<>(vars);
        }
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> hosts) {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        hosts.forEach((name, vars) -> copy.put(name, vars == null ? Map.of() : new TreeMap<>(vars)));
        return copy;
    }
}
