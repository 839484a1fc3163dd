package io.charon.jobs.credential;

import java.util.List;

/**
 * What a create or a full replacement asks for. Which fields belong depends on {@code kind}:
 * {@code ssh} takes {@code username}, {@code privateKey} and {@code passphrase}; {@code become}
 * takes {@code method}, {@code username} and {@code password}; {@code vault} takes {@code password}.
 * {@link #toString()} leaves the secret fields out, so that nothing that prints a request prints them.
 *
 * @param users who may see and use it besides its owner and admins; null for none
 */
public record CredentialRequest(String name, String kind, String username, String method, String privateKey,
                                String passphrase, String password, String description, List<String> users) {

    @Override
    public String toString() {
        return "CredentialRequest[name=" + name + ", kind=" + kind + ", username=" + username + ", method=" + method
                + ", description=" + description + ", users=" + users + "]";
    }
}
