package io.charon.jobs.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a token may do. Each role includes the ones below it: an admin is also an operator and a
 * viewer, so endpoints name the least role they need.
 */
public enum Role {
    /** reads its user's jobs, events and logs */
    VIEWER,
    /** also submits, cancels and relaunches its user's jobs */
    OPERATOR,
    /** everything: every user's jobs, the workers, tokens and the audit trail */
    ADMIN;

    public static final String VIEWER_NAME = "viewer";
    public static final String OPERATOR_NAME = "operator";
    public static final String ADMIN_NAME = "admin";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role's name and those of every role it includes, as the security identity carries them. */
    public Set<String> grantedNames() {
        return Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(Role::wireName)
                .collect(Collectors.toUnmodifiableSet());
    }

    public static Optional<Role> fromWireName(String text) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(text)).findFirst();
    }

    /** The names accepted in requests and configuration, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
    }
}
