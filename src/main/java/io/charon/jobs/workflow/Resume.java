package io.charon.jobs.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One resume of a run: the attempt it began, who asked and when, how the attempt before it had
 * ended ({@code failedAt}, {@code message}), and the nodes it set back to run again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // read and written by the JSON column's ObjectMapper only: a native build needs it registered
public record Resume(int attempt, String at, String by, String failedAt, String message, List<String> nodes) {
}
