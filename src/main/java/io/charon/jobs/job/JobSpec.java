package io.charon.jobs.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A validated submission with every default applied: what a job is asked to do. A relaunch
 * reuses the spec of the job it repeats.
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
        Duration retryDelay) {

    public JobSpec {
        inventory = List.copyOf(inventory);
        variables = Map.copyOf(variables);
        tags = List.copyOf(tags);
        dependsOn = List.copyOf(dependsOn);
    }
}
