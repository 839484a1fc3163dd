package io.charon.jobs.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a child process (a playbook, ssh-agent, ssh-add) inherits, without the
 * service's secrets: the {@code charon.security.*} settings (the secret key that opens every
 * stored credential, the admin token), every {@code QUARKUS_*} setting (database and broker
 * passwords), and any other {@code CHARON_*} variable whose name says it holds a password, secret,
 * token or key (Kubernetes sets them from Secrets). A playbook has no business reading them.
 * Other variables, the service's own included, pass as before.
 */
public final class ChildEnvironment {

    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL).*");

    private ChildEnvironment() {
    }

    /** Removes the service's secrets from {@code env}, a process builder's environment. */
    public static Map<String, String> scrub(Map<String, String> env) {
        env.keySet().removeIf(ChildEnvironment::isServiceSecret);
        return env;
    }

    static boolean isServiceSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("QUARKUS_") || upper.startsWith("CHARON_SECURITY_")
                || upper.startsWith("CHARON_") && SECRET_NAME.matcher(upper).matches();
    }
}
