package io.charon.jobs.inventory;

import java.util.List;
import java.util.Map;

/**
 * A stored inventory as an Ansible YAML inventory: {@code all} with the hosts and their
 * variables, the inventory-wide variables, and every group as a child of {@code all} with its
 * hosts, child groups (by name) and variables. Names are double-quoted; every value is tagged
 * {@code !unsafe}, so Ansible takes it as literal text and never templates it.
 */
public final class InventoryYaml {

    private static final String INDENT = "  ";

    private InventoryYaml() {
    }

    public static String write(InventoryDocument document) {
        StringBuilder yaml = new StringBuilder("all:\n");
        yaml.append(INDENT).append("hosts:");
        if (document.hosts().isEmpty()) {
            yaml.append(" {}\n");
        } else {
            yaml.append('\n');
            document.hosts().forEach((host, vars) ->
                    yaml.append(INDENT.repeat(2)).append(UnsafeYaml.quote(host)).append(": ").append(vars(vars)).append('\n'));
        }
        yaml.append(INDENT).append("vars: ").append(vars(document.vars())).append('\n');
        yaml.append(INDENT).append("children:");
        if (document.groups().isEmpty()) {
            yaml.append(" {}\n");
            return yaml.toString();
        }
        yaml.append('\n');
        document.groups().forEach((name, group) -> {
            // a group defined once, here; its parents name it among their children
            yaml.append(INDENT.repeat(2)).append(UnsafeYaml.quote(name)).append(":\n");
            yaml.append(INDENT.repeat(3)).append("hosts: ").append(names(group.hosts())).append('\n');
            yaml.append(INDENT.repeat(3)).append("children: ").append(names(group.children())).append('\n');
            yaml.append(INDENT.repeat(3)).append("vars: ").append(vars(group.vars())).append('\n');
        });
        return yaml.toString();
    }

    /** A flow mapping of variables, each value {@code !unsafe}. */
    private static String vars(Map<String, String> vars) {
        StringBuilder flow = new StringBuilder("{");
        vars.forEach((name, value) -> {
            if (flow.length() > 1) {
                flow.append(", ");
            }
            flow.append(UnsafeYaml.quote(name)).append(": ").append(UnsafeYaml.unsafe(value));
        });
        return flow.append('}').toString();
    }

    /** A flow mapping of names to empty mappings: how a YAML inventory lists members. */
    private static String names(List<String> names) {
        StringBuilder flow = new StringBuilder("{");
        names.stream().distinct().forEach(name -> {
            if (flow.length() > 1) {
                flow.append(", ");
            }
            flow.append(UnsafeYaml.quote(name)).append(": {}");
        });
        return flow.append('}').toString();
    }
}
