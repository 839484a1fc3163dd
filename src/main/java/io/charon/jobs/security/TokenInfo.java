package io.charon.jobs.security;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A token as the API lists it: never its text nor its hash. {@code source} is {@code api} for
 * tokens created through the API (or the bootstrap token), {@code config} for configured ones,
 * which only configuration can revoke.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenInfo(String id, String userId, String role, String description, String source,
                        Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy) {

    static TokenInfo of(ApiToken token) {
        return new TokenInfo(token.id, token.userId, token.role, token.description, ApiTokens.SOURCE_API,
                token.createdAt, token.createdBy, token.expiresAt, token.revokedAt, token.revokedBy);
    }
}
