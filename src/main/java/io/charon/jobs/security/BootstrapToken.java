package io.charon.jobs.security;

import io.charon.jobs.files.PrivateFiles;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.config.SecurityConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * First start without any configured token and without a valid stored admin token: one admin
 * token is created and written to {@value #FILE} in the data directory (0600), so that the
 * operator can create the others through the API. The log names the file, never the token: logs
 * are collected and kept where secrets must not be. Only its hash is stored; later starts find it
 * and create nothing.
 */
@ApplicationScoped
public class BootstrapToken {

    private static final Logger LOG = Logger.getLogger(BootstrapToken.class);
    static final String DESCRIPTION = "bootstrap token created at first start";
    static final String FILE = "bootstrap-admin-token";

    private final SecurityConfig config;
    private final JobsConfig jobs;
    private final ApiTokens tokens;

    public BootstrapToken(SecurityConfig config, JobsConfig jobs, ApiTokens tokens) {
        this.config = config;
        this.jobs = jobs;
        this.tokens = tokens;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled() || tokens.anyConfigured() || tokens.anyValidStoredAdmin()) {
            return;
        }
        Path file = jobs.dataDir().resolve(FILE).toAbsolutePath();
        ApiTokens.Created created = tokens.create(config.adminUser(), Role.ADMIN.wireName(), DESCRIPTION, null, "charon-jobs");
        try {
            write(file, created.token());
        } catch (IOException | RuntimeException e) {
            // a token nobody can read would stop every later start from making one
            tokens.revoke(created.info().id(), "charon-jobs");
            throw new IllegalStateException("could not write the bootstrap admin token to " + file + ": " + e, e);
        }
        LOG.warnf("No API token is configured: created an admin token for user '%s' (id %s) and wrote it to %s,"
                        + " readable by the service's user only. Keep it in a secret store, delete the file, create"
                        + " further tokens with POST /api/v1/tokens and revoke this one when it is no longer needed."
                        + " Only its SHA-256 is stored.",
                config.adminUser(), created.info().id(), file);
    }

    /** The token alone on one line, in a file that is 0600 from the moment it exists. */
    static void write(Path file, String token) throws IOException {
        PrivateFiles.createMissing(file.getParent());
        Files.deleteIfExists(file); // left by an earlier first start whose token has since been revoked
        PrivateFiles.file(file);
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
    }
}
