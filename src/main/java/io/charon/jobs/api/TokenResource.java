package io.charon.jobs.api;

import io.charon.jobs.job.SubmissionParser;
import io.charon.jobs.security.ApiTokens;
import io.charon.jobs.security.Role;
import io.charon.jobs.security.TokenInfo;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** API tokens, for admins: create (the text is shown once), list (never the text), revoke. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.ADMIN_NAME)
public class TokenResource {

    private final ApiTokens tokens;
    private final SubmissionParser parser;
    private final CurrentUser user;

    public TokenResource(ApiTokens tokens, SubmissionParser parser, CurrentUser user) {
        this.tokens = tokens;
        this.parser = parser;
        this.user = user;
    }

    /** Body: {@code userId}, {@code role}, optional {@code description} and {@code expiresAt}. */
    public record TokenRequest(String userId, String role, String description, String expiresAt) {
    }

    /** A new token: its {@code token} text, shown this once, beside what the listing shows. */
    public record CreatedToken(String token, TokenInfo info) {
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    public Response create(byte[] body, @Context UriInfo uri) {
        TokenRequest request = parser.read(body, TokenRequest.class, "the token");
        ApiTokens.Created created = tokens.create(request.userId(), request.role(), request.description(),
                QueryParameters.instant("expiresAt", request.expiresAt()), user.id());
        return Response.created(uri.getBaseUriBuilder().path(TokenResource.class).path(created.info().id()).build())
                .entity(new CreatedToken(created.token(), created.info())).build();
    }

    @GET
    public List<TokenInfo> list() {
        return tokens.list();
    }

    /** Revoked at once; a revoked token stays listed with who revoked it and when. */
    @DELETE
    @Path("{id}")
    public TokenInfo revoke(@PathParam("id") String id) {
        return tokens.revoke(id, user.id());
    }
}
