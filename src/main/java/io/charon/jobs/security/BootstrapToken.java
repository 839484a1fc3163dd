package io.charon.jobs.security;

import io.charon.jobs.config.SecurityConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * First start without any configured token and without a valid stored admin token: one admin
 * token is created and printed once in the log, so that the operator can create the others
 * through the API. Only its hash is stored; later starts find it and print nothing.
 */
@ApplicationScoped
public class BootstrapToken {

    private static final Logger LOG = Logger.getLogger(BootstrapToken.class);
    static final String DESCRIPTION = "bootstrap token created at first start";

    private final SecurityConfig config;
    private final ApiTokens tokens;

    public BootstrapToken(SecurityConfig config, ApiTokens tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled() || tokens.anyConfigured() || tokens.anyValidStoredAdmin()) {
            return;
        }
        ApiTokens.Created created = tokens.create(config.adminUser(), Role.ADMIN.wireName(), DESCRIPTION, null, "charon-jobs");
        LOG.warnf("""
                No API token is configured: created an admin token for user '%s' (id %s). It is shown this once:

                    %s

                Keep it in a secret store; create further tokens with POST /api/v1/tokens and revoke this one\
                 when it is no longer needed. Only its SHA-256 is stored.""",
                config.adminUser(), created.info().id(), created.token());
    }
}
