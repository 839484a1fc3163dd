package io.charon.jobs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused before it is
 * read, with a 413 problem like every other error (Quarkus' own check, just after this one, would
 * answer with an empty body). A body that turns out larger while it streams in is cut off by
 * Quarkus and answered by {@link ProblemMappers}.
 */
@ApplicationScoped
public class RequestLimits {

    /** Before Quarkus' own body size check (order -2). */
    static final int ORDER = -3;

    private final Optional<MemorySize> maxBodySize;
    private final ObjectMapper json;

    public RequestLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
                         ObjectMapper json) {
        this.maxBodySize = maxBodySize;
        this.json = json;
    }

    void install(@Observes Router router) {
        if (maxBodySize.isEmpty()) {
            return;
        }
        long max = maxBodySize.get().asLongValue();
        String body = problem(max);
        router.route().order(ORDER).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length, max)) {
                context.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(body);
            } else {
                context.next();
            }
        });
    }

    private static boolean tooLong(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer answers a malformed length itself
        }
    }

    private String problem(long max) {
        try {
            return json.writeValueAsString(new Problem(Problem.TYPE_BASE + "payload-too-large", "Payload Too Large", 413,
                    "the request body may be at most " + max + " bytes", null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
