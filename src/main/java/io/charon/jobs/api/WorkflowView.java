package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.charon.jobs.workflow.Workflow;
import io.charon.jobs.workflow.WorkflowDefinition;
import io.charon.jobs.workflow.WorkflowVersion;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * A workflow as the API shows it, at its current version or at an old one: its definition's
 * fields, as given, beside its version and who made it when ({@code updatedAt}/{@code updatedBy}
 * only for the current version).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowView(
        @Schema(description = "1 when created; each change adds one") int version,
        @JsonUnwrapped WorkflowDefinition definition,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {

    static WorkflowView of(Workflow workflow) {
        return new WorkflowView(workflow.version(), workflow.definition(), workflow.createdAt(), workflow.createdBy(),
                workflow.updatedAt(), workflow.updatedBy());
    }

    static WorkflowView of(WorkflowVersion version) {
        return new WorkflowView(version.version(), version.definition(), version.createdAt(), version.createdBy(),
                null, null);
    }
}
