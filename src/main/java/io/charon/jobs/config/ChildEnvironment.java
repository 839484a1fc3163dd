package io.charon.jobs.config;

import java.util.Map;

/**
 * The environment a child process (a playbook, ssh-agent, ssh-add) inherits, without the
 * service's own settings: {@code CHARON_*} and {@code QUARKUS_*} variables carry the secret key
 * that opens every stored credential, the admin token and database passwords (Kubernetes sets
 * them from Secrets), and a playbook has no business reading them.
 */
public final class ChildEnvironment {

    private ChildEnvironment() {
    }

    /** Removes the service's settings from {@code env}, a process builder's environment. */
    public static Map<String, String> scrub(Map<String, String> env) {
        env.keySet().removeIf(name -> name.startsWith("CHARON_") || name.startsWith("QUARKUS_"));
        return env;
    }
}
