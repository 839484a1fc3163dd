package io.charon.jobs.job;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A submission as it arrives (REST body or intake message), before validation. Times and
 * durations stay text so that a malformed one is reported against its field. The owner is never
 * part of it: it is the authenticated caller. {@code secretVariables} are write-only.
 * Exactly one of {@code inventory} (host names) and {@code inventoryRef} (a stored inventory,
 * narrowed by {@code limit}) says where the playbook runs; {@code credentials} names stored
 * credentials, at most one of each kind. {@code queue} names the queue the job waits in, and
 * {@code hostLock} how it holds its hosts while it runs; {@code mode} whether it makes its changes
 * ({@code run}, the default) or only reports them ({@code check}).
 */
@RegisterForReflection // read or written by an ObjectMapper of its own, not by a REST endpoint's: a native build needs it registered
public record JobSubmission(
        String name,
        String type,
        JsonNode priority,
        String playbook,
        List<String> inventory,
        Map<String, String> variables,
        List<String> tags,
        String description,
        String scheduledAt,
        String timeout,
        List<String> dependsOn,
        Integer maxRetries,
        String retryDelay,
        Map<String, String> secretVariables,
        String inventoryRef,
        String limit,
        List<String> credentials,
        String queue,
        String hostLock,
        String retryScope,
        List<String> retryOn,
        String startDeadline,
        String idleTimeout,
        String mode) {
}
