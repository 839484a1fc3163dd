package io.charon.jobs.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The endpoints that take a body take JSON ({@code @Consumes}): any other Content-Type is a 415,
 * and so is none, or one that is not a media type at all. JAX-RS lets a request without a
 * Content-Type through to any {@code @Consumes}, and a malformed one failed as an internal error;
 * both are refused here, before the body is read. Other endpoints never look at the header.
 */
public class JsonBodies {

    @ServerRequestFilter
    public void requireJson(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceMethod() == null || !resource.getResourceMethod().isAnnotationPresent(Consumes.class)) {
            return;
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null || type.isBlank() || !isJson(type)) {
            throw new NotSupportedException("the body must be sent as application/json");
        }
    }

    private static boolean isJson(String type) {
        try {
            MediaType media = MediaType.valueOf(type.trim());
            return "application".equalsIgnoreCase(media.getType()) && "json".equalsIgnoreCase(media.getSubtype());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
