package io.charon.jobs.security;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One line of the audit trail: who ({@code principal}) did what ({@code action}) to what
 * ({@code target}) and when, whether it was allowed ({@code outcome}), and from where when it came
 * over HTTP. Never holds a secret: not a token, not a secret variable.
 *
 * @param id    assigned by the store; 0 for an entry not yet written
 * @param count 1, except for refused requests, which are counted per action, outcome, source,
 *              principal and minute: then how many were refused in that minute, {@code at} is the
 *              first of them and {@code target} and {@code detail} are that first one's
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(long id, Instant at, String principal, String action, String target, String outcome,
                         String detail, String remoteAddress, long count) {

    public static final String SUCCESS = "success";
    public static final String DENIED = "denied";
    public static final String FAILED = "failed";

    /** One request or action. */
    public AuditEntry(long id, Instant at, String principal, String action, String target, String outcome,
                      String detail, String remoteAddress) {
        this(id, at, principal, action, target, outcome, detail, remoteAddress, 1);
    }

    /** An action that was carried out. */
    public static AuditEntry success(String principal, String action, String target, String detail) {
        return new AuditEntry(0, null, principal, action, target, SUCCESS, detail, null);
    }

    /** An action that was refused for what it carried, not for who asked. */
    public static AuditEntry failed(String principal, String action, String target, String detail) {
        return new AuditEntry(0, null, principal, action, target, FAILED, detail, null);
    }

    public AuditEntry at(Instant time) {
        return new AuditEntry(id, time, principal, action, target, outcome, detail, remoteAddress, count);
    }

    public AuditEntry from(String address) {
        return new AuditEntry(id, at, principal, action, target, outcome, detail, address, count);
    }
}
