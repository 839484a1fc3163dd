package io.charon.jobs.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * What became of an approval node: {@code approved} or {@code denied}, by whom, when, with the
 * decider's comment ({@code at} an ISO-8601 instant, as the JSON column keeps it). A timeout is a denial {@code by} {@value #SYSTEM} with {@code timedOut} set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // read and written by the JSON column's ObjectMapper only: a native build needs it registered
public record Decision(String result, String by, String at, String comment, Boolean timedOut) {

    static final String APPROVED = "approved";
    static final String DENIED = "denied";
    /** Who decides when the timeout passes: the service, not a user. */
    static final String SYSTEM = "system";
    /** The longest comment kept. */
    static final int MAX_COMMENT = 1_000;

    static Decision byUser(boolean approved, String userId, Instant at, String comment) {
        return new Decision(approved ? APPROVED : DENIED, userId, at.toString(), comment, null);
    }

    static Decision timedOut(Instant at, String timeout) {
        return new Decision(DENIED, SYSTEM, at.toString(), "no decision within " + timeout + ": the approval timed out", true);
    }

    boolean approved() {
        return APPROVED.equals(result);
    }
}
