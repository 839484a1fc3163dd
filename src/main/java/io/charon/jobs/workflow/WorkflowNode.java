package io.charon.jobs.workflow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * One step of a workflow: its {@code id} in the graph, what it does — either the job
 * {@code template} it launches with {@code parameters} (checked as a launch of that template) in
 * {@code mode} ({@code run}, the default, or {@code check}, as a launch's), or the
 * {@code approval} it waits for — and its {@code convergence}: whether it starts once
 * {@code all} of its incoming edges are taken (the default) or as soon as {@code any} one is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowNode(String id, String template, Map<String, JsonNode> parameters, String convergence,
                           String mode, Approval approval) {

    /** An approval node, rather than a template's. */
    boolean awaitsApproval() {
        return approval != null;
    }

    @JsonIgnore
    Convergence convergenceOrDefault() {
        return convergence == null ? Convergence.ALL : Convergence.fromWireName(convergence).orElseThrow();
    }

    @JsonIgnore
    Map<String, JsonNode> parametersOrNone() {
        return parameters == null ? Map.of() : parameters;
    }
}
