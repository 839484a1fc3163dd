package io.charon.jobs.job;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of Ansible variables a user may set: identifiers, none of them reserved. Shared by a
 * job's variables and a stored inventory's, which refuse the same names (an inventory allows its
 * connection variables on top).
 */
public final class VariableNames {

    /** Letters, digits and {@code _}, not starting with a digit; at most 128 characters. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /**
     * Ansible's magic and special variables: set by a user they would change what Ansible believes
     * about hosts, inventory and play. Names starting with {@code ansible_} (how to connect,
     * become, which interpreter) or {@code _} are reserved too ({@link #isReserved}).
     */
    public static final Set<String> RESERVED = Set.of("hostvars", "groups", "group_names", "inventory_hostname",
            "inventory_hostname_short", "inventory_dir", "inventory_file", "playbook_dir", "play_hosts", "role_name",
            "role_names", "role_path", "omit", "environment", "vars", "lookup", "query", "q");

    private VariableNames() {
    }

    /** True for a name in {@link #RESERVED} or starting with {@code ansible_} or {@code _}, in any case. */
    public static boolean isReserved(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("ansible_") || lower.startsWith("_") || RESERVED.contains(lower);
    }
}
