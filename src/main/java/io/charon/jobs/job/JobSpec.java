package io.charon.jobs.job;

import io.charon.jobs.security.SealedSecrets;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A validated submission with every default applied: what a job is asked to do. A relaunch
 * reuses the spec of the job it repeats. {@code secretVariables} is null when there are none, and
 * sealed otherwise: a spec never holds a secret in plain text.
 */
public record JobSpec(
        String name,
        JobType type,
        Priority priority,
        String playbook,
        List<String> inventory,
        Map<String, String> variables,
        List<String> tags,
        String description,
        Instant scheduledAt,
        Duration timeout,
        List<String> dependsOn,
        int maxRetries,
        Duration retryDelay,
        SealedSecrets secretVariables) {

    public JobSpec {
        inventory = List.copyOf(inventory);
        variables = Map.copyOf(variables);
        tags = List.copyOf(tags);
        dependsOn = List.copyOf(dependsOn);
    }
}
