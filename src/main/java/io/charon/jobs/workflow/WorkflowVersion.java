package io.charon.jobs.workflow;

import io.charon.jobs.persistence.KeptVersion;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/** One version of a workflow, kept unchanged. */
@Entity
@Table(name = "workflow_versions")
public class WorkflowVersion extends KeptVersion {

    @Convert(converter = WorkflowColumns.Definition.class)
    @Column(nullable = false)
    WorkflowDefinition definition;

    protected WorkflowVersion() {
    }

    WorkflowVersion(String name, int version, WorkflowDefinition definition, Instant createdAt, String createdBy) {
        super(name, version, createdAt, createdBy);
        this.definition = definition;
    }

    public WorkflowDefinition definition() {
        return definition;
    }
}
