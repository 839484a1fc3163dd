package io.charon.jobs.credential;

import io.charon.jobs.job.SealedSecrets;

/**
 * A credential as a run receives it: its clear fields, and its secret fields still sealed, to be
 * opened by the runner just before it writes them into the run's private directory. The secret
 * names are {@value #PRIVATE_KEY} and {@value #PASSPHRASE} for {@code ssh}, {@value #PASSWORD}
 * for {@code become} and {@code vault}.
 *
 * @param username ssh: the remote user; become: the user to become, or null for the method's default
 * @param becomeMethod become only: sudo, su, ...
 */
public record SealedCredential(String name, CredentialKind kind, String username, String becomeMethod,
                               SealedSecrets secrets) {

    public static final String PRIVATE_KEY = "privateKey";
    public static final String PASSPHRASE = "passphrase";
    public static final String PASSWORD = "password";
}
