package io.charon.jobs.security;

/** The token cannot be changed through the API. */
public class TokenConflictException extends RuntimeException {
    public TokenConflictException(String message) {
        super(message);
    }
}
