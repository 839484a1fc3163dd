package io.charon.jobs.workflow;

import io.charon.jobs.persistence.Versioned;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A workflow at its current version. Every change makes a new version, kept as a
 * {@link WorkflowVersion}; each run keeps the definition it was launched with.
 */
@Entity
@Table(name = "workflows")
public class Workflow extends Versioned {

    @Convert(converter = WorkflowColumns.Definition.class)
    @Column(nullable = false)
    WorkflowDefinition definition;

    protected Workflow() {
    }

    /** A new workflow at version 1. */
    Workflow(WorkflowDefinition definition, String by, Instant now) {
        super(definition.name(), by, now);
        this.definition = definition;
    }

    /** This version, to be stored beside the workflow. */
    WorkflowVersion currentVersion() {
        return new WorkflowVersion(name, version, definition, updatedAt, updatedBy);
    }

    /** Replaces the definition, making the next version; returns it to store. */
    WorkflowVersion replace(WorkflowDefinition definition, String by, Instant now) {
        nextVersion(by, now);
        this.definition = definition;
        return currentVersion();
    }

    /** Whether {@code userId} may see and launch it: admins, and the allowed users (every operator when none are named). */
    public boolean launchableBy(String userId, boolean admin) {
        return admin || definition.allowedUsers().isEmpty() || definition.allowedUsers().contains(userId);
    }

    public WorkflowDefinition definition() {
        return definition;
    }
}
