package io.charon.jobs.job;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated submission with every default applied: what a job is asked to do. A relaunch
 * reuses the spec of the job it repeats. {@code secretVariables} is null when there are none, and
 * sealed otherwise: a spec never holds a secret in plain text.
 *
 * <p>Stored whole in the job's row ({@link Job} embeds it), in the columns of the {@code jobs}
 * table, once: its columns are not updatable, so the updates of the job's state (several per run)
 * neither compare nor write them. The components' order is that of the request fingerprint's
 * JSON: keep it. The components that name stored inventories and credentials are left out of
 * that JSON when empty, so that a job without them keeps the fingerprint it had before they
 * existed; so are {@code retryScope} and {@code retryOn} when they hold their defaults. A spec built without them
 * (null) takes the defaults: all hosts, every kind.
 *
 * <p>A job that names a stored inventory ({@code inventoryRef}) records the version it resolved
 * and, in {@code inventory}, the hosts that {@code limit} selected from it.
 *
 * <p>{@code startDeadline} (how long after its due time the job may still start) and
 * {@code idleTimeout} (how long a run may go without output) are null when not asked for, and
 * left out of the fingerprint's JSON then.
 *
 * <p>A job launched from a template records the template's name and version in {@code template}
 * and {@code templateVersion}; null for any other job, and left out of the fingerprint's JSON then.
 *
 * <p>{@code mode} is {@link JobMode#RUN} unless the job asked for a check; left out of the
 * fingerprint's JSON when it runs.
 */
@Embeddable
public record JobSpec(
        @Column(nullable = false, updatable = false) String name,
        @Convert(converter = JobColumns.Type.class) @Column(nullable = false, updatable = false) JobType type,
        @Convert(converter = JobColumns.PriorityValue.class)
        @Column(nullable = false, updatable = false) Priority priority,
        @Column(nullable = false, updatable = false) String playbook,
        @Convert(converter = JsonColumns.StringList.class)
        @Column(nullable = false, updatable = false) List<String> inventory,
        @Convert(converter = JsonColumns.StringMap.class)
        @Column(nullable = false, updatable = false) Map<String, String> variables,
        @Convert(converter = JsonColumns.StringList.class)
        @Column(nullable = false, updatable = false) List<String> tags,
        @Column(updatable = false) String description,
        @Column(name = "scheduled_at", updatable = false) Instant scheduledAt,
        @Convert(converter = JsonColumns.Millis.class)
        @Column(name = "timeout_ms", nullable = false, updatable = false) Duration timeout,
        @Convert(converter = JsonColumns.StringList.class)
        @Column(name = "depends_on", nullable = false, updatable = false)
        List<String> dependsOn,
        @Column(name = "max_retries", nullable = false, updatable = false) int maxRetries,
        @Convert(converter = JsonColumns.Millis.class)
        @Column(name = "retry_delay_ms", nullable = false, updatable = false)
        Duration retryDelay,
        @Convert(converter = JobColumns.Secrets.class) @Column(name = "secret_variables", updatable = false)
        SealedSecrets secretVariables,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Column(name = "inventory_ref", updatable = false) String inventoryRef,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Column(name = "inventory_version", updatable = false) Integer inventoryVersion,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Column(name = "host_limit", updatable = false) String limit,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Convert(converter = JsonColumns.StringList.class)
        @Column(nullable = false, updatable = false) List<String> credentials,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultQueue.class)
        @Column(nullable = false, updatable = false) String queue,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ExclusiveLock.class)
        @Convert(converter = JobColumns.HostLockValue.class)
        @Column(name = "host_lock", nullable = false, updatable = false)
        HostLock hostLock,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = RetryScope.IsDefault.class)
        @Convert(converter = JobColumns.RetryScopeValue.class)
        @Column(name = "retry_scope", nullable = false, updatable = false)
        RetryScope retryScope,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = RetryOn.IsDefault.class)
        @Convert(converter = JobColumns.RetryKinds.class)
        @Column(name = "retry_on", nullable = false, updatable = false)
        Set<RetryOn> retryOn,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Convert(converter = JsonColumns.Millis.class)
        @Column(name = "start_deadline_ms", updatable = false) Duration startDeadline,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Convert(converter = JsonColumns.Millis.class)
        @Column(name = "idle_timeout_ms", updatable = false) Duration idleTimeout,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Column(name = "template_name", updatable = false) String template,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Column(name = "template_version", updatable = false) Integer templateVersion,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = RunMode.class)
        @Convert(converter = JobColumns.Mode.class) @Column(nullable = false, updatable = false) JobMode mode) {

    /** The queue of a job that names none. */
    public static final String DEFAULT_QUEUE = "default";

    public JobSpec {
        inventory = List.copyOf(inventory);
        variables = Map.copyOf(variables);
        tags = List.copyOf(tags);
        dependsOn = List.copyOf(dependsOn);
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
        queue = queue == null ? DEFAULT_QUEUE : queue;
        hostLock = hostLock == null ? HostLock.EXCLUSIVE : hostLock;
        retryScope = retryScope == null ? RetryScope.ALL : retryScope;
        retryOn = retryOn == null ? RetryOn.EVERY : RetryOn.setOf(retryOn);
        mode = mode == null ? JobMode.RUN : mode;
    }

    /** Leaves the default queue out of the fingerprint's JSON, as it was before queues existed. */
    @RegisterForReflection // Jackson creates it as a @JsonInclude filter: a native build needs it registered
    static final class DefaultQueue {
        @Override
        public boolean equals(Object value) {
            return DEFAULT_QUEUE.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** Leaves the default host lock out of the fingerprint's JSON, as it was before host locks existed. */
    @RegisterForReflection // Jackson creates it as a @JsonInclude filter: a native build needs it registered
    static final class ExclusiveLock {
        @Override
        public boolean equals(Object value) {
            return value == HostLock.EXCLUSIVE;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** Leaves the run mode out of the fingerprint's JSON, as it was before check mode existed. */
    @RegisterForReflection // Jackson creates it as a @JsonInclude filter: a native build needs it registered
    static final class RunMode {
        @Override
        public boolean equals(Object value) {
            return value == JobMode.RUN;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** The same job on the hosts {@code hosts} of version {@code version} of its stored inventory. */
    public JobSpec resolvedOn(int version, List<String> hosts) {
        return new JobSpec(name, type, priority, playbook, hosts, variables, tags, description, scheduledAt, timeout,
                dependsOn, maxRetries, retryDelay, secretVariables, inventoryRef, version, limit, credentials, queue,
                hostLock, retryScope, retryOn, startDeadline, idleTimeout, template, templateVersion, mode);
    }

    /** The same job before its stored inventory was resolved: to be resolved again. */
    public JobSpec unresolved() {
        return inventoryRef == null ? this : new JobSpec(name, type, priority, playbook, List.of(), variables, tags,
                description, scheduledAt, timeout, dependsOn, maxRetries, retryDelay, secretVariables, inventoryRef, null,
                limit, credentials, queue, hostLock, retryScope, retryOn, startDeadline, idleTimeout, template, templateVersion,
                mode);
    }

    /** The same job, launched from version {@code version} of template {@code name}. */
    public JobSpec fromTemplate(String name, int version) {
        return new JobSpec(this.name, type, priority, playbook, inventory, variables, tags, description, scheduledAt,
                timeout, dependsOn, maxRetries, retryDelay, secretVariables, inventoryRef, inventoryVersion, limit,
                credentials, queue, hostLock, retryScope, retryOn, startDeadline, idleTimeout, name, version, mode);
    }

    /**
     * The same job without its schedule: what a relaunch runs, as soon as a worker is free (a
     * start deadline then counts from the relaunch).
     */
    public JobSpec withoutSchedule() {
        return new JobSpec(name, type, priority, playbook, inventory, variables, tags, description, null, timeout,
                dependsOn, maxRetries, retryDelay, secretVariables, inventoryRef, inventoryVersion, limit, credentials, queue,
                hostLock, retryScope, retryOn, startDeadline, idleTimeout, template, templateVersion, mode);
    }
}
