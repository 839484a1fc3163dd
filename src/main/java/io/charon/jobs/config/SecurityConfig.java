package io.charon.jobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.Optional;

/** Authentication, secrets and audit ({@code charon.security.*}); see docs/security.md. */
@ConfigMapping(prefix = "charon.security")
public interface SecurityConfig {

    /**
     * Authentication and roles. {@code false} is a development mode: every request acts as the
     * user {@code anonymous} with the admin role, and the service says so in its log at start-up.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * An admin token given in plain text, meant to come from a secret (environment variable
     * {@code CHARON_SECURITY_ADMIN_TOKEN}); only its hash is kept in memory.
     */
    Optional<String> adminToken();

    /** The user that {@code admin-token} authenticates. */
    @WithDefault("admin")
    String adminUser();

    /**
     * Tokens known by their SHA-256 only, by user: {@code charon.security.tokens.<user>.sha256}
     * (hex) and {@code charon.security.tokens.<user>.role}.
     */
    Map<String, StaticToken> tokens();

    interface StaticToken {
        /** Lower-case hex SHA-256 of the token's text. */
        String sha256();

        /** {@code viewer}, {@code operator} or {@code admin}. */
        String role();
    }

    /**
     * AES-256 key (32 bytes, base64) that seals {@code secretVariables} at rest. Without it,
     * submissions with secret variables are refused.
     */
    Optional<String> secretKey();

    /**
     * How long audit entries are kept; older ones are deleted at every
     * {@code charon.jobs.cleanup-interval}. The trail is not deleted with jobs, so without a bound
     * it would only grow.
     */
    @WithDefault("P90D")
    java.time.Duration auditRetention();

    /** How long a verified token is trusted before the store is asked again (a revocation on this instance takes effect at once). */
    @WithDefault("PT30S")
    java.time.Duration tokenCacheTtl();
}
