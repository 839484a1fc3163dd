package io.charon.jobs.security;

/** No token has this id. */
public class TokenNotFoundException extends RuntimeException {
    public TokenNotFoundException(String id) {
        super("no token " + id);
    }
}
