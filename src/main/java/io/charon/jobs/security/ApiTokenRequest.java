package io.charon.jobs.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A bearer token to check against the service's own tokens. A type of its own, so that another
 * authentication extension (OIDC, which takes {@code TokenAuthenticationRequest}) never receives it.
 */
public class ApiTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
