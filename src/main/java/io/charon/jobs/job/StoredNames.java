package io.charon.jobs.job;

import java.util.regex.Pattern;

/**
 * The names of what is stored and named by users (inventories, credentials, queues, the hosts and
 * groups of an inventory): 1 to 100 letters, digits or {@code _ . -}, starting with a letter, digit or
 * {@code _}, so that a name is a safe path segment, inventory key and Ansible host name.
 */
public final class StoredNames {

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
    /** What a name that does not match {@link #NAME} is told. */
    public static final String RULE = "must be 1 to 100 letters, digits or _ . -, starting with a letter, digit or _";

    private StoredNames() {
    }
}
