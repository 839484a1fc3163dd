package io.charon.jobs.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.charon.jobs.job.FieldError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The one error shape of the API (RFC 9457, {@code application/problem+json}). {@code type}
 * is stable per kind of error; {@code errors} names the offending fields of a bad request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // read or written by an ObjectMapper of its own, not by a REST endpoint's: a native build needs it registered
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://charon.io/problems/";

    static Response response(int status, String kind, String title, String detail, List<FieldError> errors) {
        return response(new Problem(TYPE_BASE + kind, title, status, detail, errors));
    }

    static Response response(Problem problem) {
        return Response.status(problem.status()).type(MediaType.valueOf(MEDIA_TYPE)).entity(problem).build();
    }

    /** A refusal that only has its HTTP status to say: the kind and title are the status's name. */
    static Problem ofStatus(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return new Problem(TYPE_BASE + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), title, status, title, null);
    }

    /** No credentials, or credentials that are not a valid token. */
    static Problem unauthorized() {
        return new Problem(TYPE_BASE + "unauthorized", "Unauthorized", 401,
                "a valid token is required: Authorization: Bearer <token>", null);
    }

    /** Authenticated, but the token's role does not allow this. */
    static Problem forbidden(String detail) {
        return new Problem(TYPE_BASE + "forbidden", "Forbidden", 403, detail, null);
    }
}
