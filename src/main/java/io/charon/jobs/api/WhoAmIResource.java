package io.charon.jobs.api;

import io.charon.jobs.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Who the token belongs to and what its role allows: a client (the dashboard) offers only what
 * the role may do, while every endpoint still checks the role itself.
 */
@Tag(name = "Identity", description = "The user and role of the calling token")
@Path("/api/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_NAME)
public class WhoAmIResource {

    private final CurrentUser user;
    private final SecurityIdentity identity;

    public WhoAmIResource(CurrentUser user, SecurityIdentity identity) {
        this.user = user;
        this.identity = identity;
    }

    /** The caller: {@code userId} and the highest {@code role} it has. */
    public record Caller(String userId, String role) {
    }

    @Operation(operationId = "whoAmI", summary = "The calling token's user and role")
    @GET
    public Caller get() {
        Role role = Arrays.stream(Role.values()).filter(r -> identity.hasRole(r.wireName()))
                .max(Comparator.naturalOrder()).orElse(Role.VIEWER);
        return new Caller(user.id(), role.wireName());
    }
}
