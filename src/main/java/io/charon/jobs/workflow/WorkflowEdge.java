package io.charon.jobs.workflow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An edge of a workflow: node {@code to} may start after node {@code from} ended {@code on}
 * {@code success} (the default), {@code failure} or {@code always}, and, when a {@code when}
 * condition (CEL, see {@link Conditions}) is given, only if it holds over {@code from}'s result.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowEdge(String from, String to, String on, String when) {

    @JsonIgnore
    Trigger triggerOrDefault() {
        return on == null ? Trigger.SUCCESS : Trigger.fromWireName(on).orElseThrow();
    }
}
