package io.charon.jobs.credential;

/**
 * No credential of this name that the caller may see: the same answer whether it does not exist
 * or belongs to someone who did not share it.
 */
public class CredentialNotFoundException extends RuntimeException {
    public CredentialNotFoundException(String name) {
        super("no credential named " + name);
    }
}
