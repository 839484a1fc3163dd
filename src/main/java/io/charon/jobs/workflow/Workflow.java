package io.charon.jobs.workflow;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A workflow at its current version. Every change makes a new version, kept as a
 * {@link WorkflowVersion}; each run keeps the definition it was launched with.
 */
@Entity
@Table(name = "workflows")
public class Workflow {

    @Id
    String name;

    @Column(nullable = false)
    int version;

    @Convert(converter = WorkflowColumns.Definition.class)
    @Column(nullable = false)
    WorkflowDefinition definition;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    String updatedBy;

    protected Workflow() {
    }

    /** A new workflow at version 1. */
    Workflow(WorkflowDefinition definition, String by, Instant now) {
        this.name = definition.name();
        this.version = 1;
        this.definition = definition;
        this.createdAt = now;
        this.createdBy = by;
        this.updatedAt = now;
        this.updatedBy = by;
    }

    /** This version, to be stored beside the workflow. */
    WorkflowVersion currentVersion() {
        return new WorkflowVersion(name, version, definition, updatedAt, updatedBy);
    }

    /** Replaces the definition, making the next version; returns it to store. */
    WorkflowVersion replace(WorkflowDefinition definition, String by, Instant now) {
        this.version++;
        this.definition = definition;
        this.updatedAt = now;
        this.updatedBy = by;
        return currentVersion();
    }

    /** Whether {@code userId} may see and launch it: admins, and the allowed users (every operator when none are named). */
    public boolean launchableBy(String userId, boolean admin) {
        return admin || definition.allowedUsers().isEmpty() || definition.allowedUsers().contains(userId);
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public WorkflowDefinition definition() {
        return definition;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String updatedBy() {
        return updatedBy;
    }
}
