package io.charon.jobs.api;

import io.charon.jobs.job.FieldError;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a NUL character in a path parameter or in a query parameter the endpoint reads, before
 * the endpoint sees it: PostgreSQL cannot hold or compare text containing NUL and fails the
 * statement, and no id, name or filter value of the API has one. A path with NUL names nothing
 * (404); a query parameter with NUL is invalid (400 naming it). Parameters the endpoint does not
 * read are ignored, as they are otherwise.
 */
public class NulCharacters {

    private static final char NUL = '\0';

    @ServerRequestFilter
    public Response refuseNul(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        if (request.getUriInfo().getPathParameters().values().stream().flatMap(List::stream).anyMatch(NulCharacters::hasNul)) {
            return Problem.response(404, "not-found", "Not Found", "no resource has a NUL character in its path", null);
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        if (query.isEmpty()) {
            // most requests, submissions among them: no need to look at the endpoint's parameters
            return null;
        }
        List<FieldError> errors = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            QueryParam name = parameter.getAnnotation(QueryParam.class);
            List<String> values = name == null ? null : query.get(name.value());
            if (values != null && values.stream().anyMatch(NulCharacters::hasNul)) {
                errors.add(new FieldError(name.value(), "must not contain a NUL character"));
            }
        }
        if (!errors.isEmpty()) {
            return Problem.response(400, "invalid-request", "Invalid request", "a query parameter contains a NUL character", errors);
        }
        return null;
    }

    private static boolean hasNul(String value) {
        return value != null && value.indexOf(NUL) >= 0;
    }
}
