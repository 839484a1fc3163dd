package io.charon.jobs.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An earlier attempt of a node that a resume set back: how it ended, with its job or its decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // read and written by the JSON column's ObjectMapper only: a native build needs it registered
public record NodeAttempt(String status, String message, String jobId, Decision decision, String endedAt) {
}
