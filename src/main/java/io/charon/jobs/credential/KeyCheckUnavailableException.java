package io.charon.jobs.credential;

/** A private key could not be checked because ssh-agent or ssh-add failed on the service's host; not the key's fault. */
public class KeyCheckUnavailableException extends RuntimeException {
    public KeyCheckUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
