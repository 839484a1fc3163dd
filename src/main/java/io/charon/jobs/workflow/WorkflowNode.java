package io.charon.jobs.workflow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * One step of a workflow: its {@code id} in the graph, the job template it launches with
 * {@code parameters} (checked as a launch of that template), and its {@code convergence}: whether
 * it starts once {@code all} of its incoming edges are taken (the default) or as soon as
 * {@code any} one is. A template is the only kind of node so far; another kind (an approval)
 * comes as a field of its own beside {@code template}, exactly one of them set. {@code mode}
 * ({@code run}, the default, or {@code check}) is its job's, as a launch's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowNode(String id, String template, Map<String, JsonNode> parameters, String convergence,
                           String mode) {

    @JsonIgnore
    Convergence convergenceOrDefault() {
        return convergence == null ? Convergence.ALL : Convergence.fromWireName(convergence).orElseThrow();
    }

    @JsonIgnore
    Map<String, JsonNode> parametersOrNone() {
        return parameters == null ? Map.of() : parameters;
    }
}
