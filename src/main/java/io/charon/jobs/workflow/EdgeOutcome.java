package io.charon.jobs.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What became of one edge of a run: {@code pending} until its {@code from} node ended, then
 * {@code taken}, {@code not-taken} (its trigger or condition did not hold, or its node was
 * skipped), or {@code error} (its condition could not be evaluated: {@code message} says why;
 * not taken, and the run fails).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // read and written by the JSON column's ObjectMapper only: a native build needs it registered
public record EdgeOutcome(String state, String message) {

    static final String PENDING = "pending";
    static final String TAKEN = "taken";
    static final String NOT_TAKEN = "not-taken";
    static final String ERROR = "error";

    static final EdgeOutcome WAITING = new EdgeOutcome(PENDING, null);

    boolean isResolved() {
        return !PENDING.equals(state);
    }

    boolean isTaken() {
        return TAKEN.equals(state);
    }

    boolean isError() {
        return ERROR.equals(state);
    }
}
