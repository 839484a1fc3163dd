package io.charon.jobs.workflow;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** One version of a workflow, kept unchanged. */
@Entity
@Table(name = "workflow_versions")
public class WorkflowVersion {

    /** A workflow's name and version number. */
    @Embeddable
    public record Key(@Column(nullable = false) String name, @Column(nullable = false) int version)
            implements Serializable {
    }

    @EmbeddedId
    Key key;

    @Convert(converter = WorkflowColumns.Definition.class)
    @Column(nullable = false)
    WorkflowDefinition definition;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    protected WorkflowVersion() {
    }

    WorkflowVersion(String name, int version, WorkflowDefinition definition, Instant createdAt, String createdBy) {
        this.key = new Key(name, version);
        this.definition = definition;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    public int version() {
        return key.version();
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
}
