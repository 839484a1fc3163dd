package io.charon.jobs.credential;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a credential opens: {@code ssh} logs in to hosts (user, private key, optional passphrase),
 * {@code become} changes user on them (method, user, password), {@code vault} opens
 * ansible-vault content in playbooks (password). A job names at most one of each.
 */
public enum CredentialKind {
    SSH("ssh"),
    BECOME("become"),
    VAULT("vault");

    private final String wireName;

    CredentialKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CredentialKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
}
