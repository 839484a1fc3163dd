package io.charon.jobs.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.job.JobSubmission;

import java.util.List;
import java.util.Map;

/**
 * A template as its request gives it and as each version is stored: a name and description,
 * every field of a job submission but those that belong to one launch ({@code scheduledAt},
 * {@code dependsOn}, {@code secretVariables}: secrets come in as {@code secret} parameters),
 * the typed {@code parameters} a launch fills in, and {@code allowedUsers}, the operators who
 * may launch it (none: every operator). {@code variables} are defaults that parameters of the
 * same name override.
 */
public record TemplateDefinition(
        String name,
        String description,
        String type,
        JsonNode priority,
        String playbook,
        List<String> inventory,
        String inventoryRef,
        String limit,
        List<String> credentials,
        Map<String, String> variables,
        String timeout,
        Integer maxRetries,
        String retryDelay,
        List<String> tags,
        String queue,
        String hostLock,
        String retryScope,
        List<String> retryOn,
        String startDeadline,
        String idleTimeout,
        List<TemplateParameter> parameters,
        List<String> allowedUsers) {

    public TemplateDefinition {
        parameters = parameters == null ? List.of() : parameters;
        allowedUsers = allowedUsers == null ? List.of() : allowedUsers;
    }

    /** The same definition under {@code name} (a replacement takes its name from the path). */
    TemplateDefinition named(String name) {
        return new TemplateDefinition(name, description, type, priority, playbook, inventory, inventoryRef, limit,
                credentials, variables, timeout, maxRetries, retryDelay, tags, queue, hostLock, retryScope, retryOn,
                startDeadline, idleTimeout, parameters, allowedUsers);
    }

    /**
     * The job submission a launch makes: the template's fields, with {@code variables} and
     * {@code secretVariables} as given, and the launch's own {@code priority}, {@code scheduledAt},
     * {@code tags}, {@code limit} and {@code mode} where it gives them.
     */
    JobSubmission submission(Map<String, String> variables, Map<String, String> secretVariables, LaunchRequest launch) {
        return new JobSubmission(name, type, launch.priority() == null ? priority : launch.priority(), playbook,
                inventory, variables, launch.tags() == null ? tags : launch.tags(), description, launch.scheduledAt(),
                timeout, List.of(), maxRetries, retryDelay, secretVariables, inventoryRef,
                launch.limit() == null ? limit : launch.limit(), credentials, queue, hostLock, retryScope, retryOn,
                startDeadline, idleTimeout, launch.mode());
    }
}
