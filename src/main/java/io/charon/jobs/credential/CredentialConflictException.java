package io.charon.jobs.credential;

/** The change does not fit the credential as it is: its name is taken, its kind differs, jobs still name it. */
public class CredentialConflictException extends RuntimeException {
    public CredentialConflictException(String message) {
        super(message);
    }
}
