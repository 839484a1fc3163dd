package io.charon.jobs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Problems for what the HTTP layer refuses before any resource sees the request, so that these
 * refusals look like every other error of the API:
 * <ul>
 * <li>a body announced larger than {@code quarkus.http.limits.max-body-size} is refused before it
 * is read with a 413 problem (Quarkus' own check, just after this one, would answer with an empty
 * body); a chunked body, which announces no length, is read into memory here up to the limit and
 * refused with the same problem once it passes it (left to the resources, it was cut off with an
 * empty 413 and two errors logged);</li>
 * <li>a request the router refuses with a 4xx status of its own (an HTTP/1.1 request without a
 * {@code Host} header, an empty path) gets a problem body.</li>
 * </ul>
 * Requests the HTTP server cannot take at all (request line or headers too long, malformed
 * percent-escapes such as {@code %zz}) are answered by the server before routing, without a body.
 */
@ApplicationScoped
public class HttpProblems {

    /** Before Quarkus' own body size check (order -2). */
    static final int ORDER = -3;

    private final Optional<MemorySize> maxBodySize;
    private final ObjectMapper json;

    public HttpProblems(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
                         ObjectMapper json) {
        this.maxBodySize = maxBodySize;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            int status = context.statusCode();
            // a refusal by status (a path that cannot be decoded); security's own failures are Quarkus' to answer
            if (status >= 400 && status < 500 && !isSecurity(context.failure()) && !context.response().headWritten()) {
                if (status == 413) {
                    context.response().putHeader(HttpHeaders.CONNECTION, "close"); // the rest of the body is not read
                }
                context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .end(json(status == 413 ? tooLarge() : Problem.ofStatus(status)));
            } else {
                context.next();
            }
        });
        if (maxBodySize.isEmpty()) {
            return;
        }
        long max = maxBodySize.get().asLongValue();
        String body = json(tooLarge());
        // buffers a body without a length up to the limit (the resources then read it from memory); past it, fails with 413
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(max);
        router.route().order(ORDER).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length, max)) {
                context.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(body);
            } else if (length == null && context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)
                    && !isForm(context.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
                chunked.handle(context);
            } else {
                context.next();
            }
        });
    }

    private Problem tooLarge() {
        return maxBodySize.map(max -> new Problem(Problem.TYPE_BASE + "payload-too-large", "Payload Too Large", 413,
                "the request body may be at most " + max.asLongValue() + " bytes", null)).orElse(Problem.ofStatus(413));
    }

    /** A form is no body of this API (the resources refuse its type unread); the body handler would parse it. */
    private static boolean isForm(String type) {
        String lower = type == null ? "" : type.trim().toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded");
    }

    private static boolean isSecurity(Throwable failure) {
        return failure != null && failure.getClass().getName().startsWith("io.quarkus.security.");
    }

    private static boolean tooLong(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer answers a malformed length itself
        }
    }

    private String json(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
