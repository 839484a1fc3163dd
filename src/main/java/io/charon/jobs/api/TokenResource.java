package io.charon.jobs.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.charon.jobs.submission.SubmissionParser;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** API tokens, for admins: create (the text is shown once), list (never the text), revoke. */
@Path("/api/v1/tokens")
@Tag(name = "Tokens", description = "API tokens: create, list, revoke")
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
    @RegisterForReflection // read or written by an ObjectMapper of its own, not by a REST endpoint's: a native build needs it registered
    public record TokenRequest(
            @Schema(required = true, description = "1 to 100 letters, digits or _ . @ -") String userId,
            @Schema(required = true, enumeration = {"viewer", "operator", "admin"}) String role,
            String description,
            @Schema(format = "date-time", description = "ISO-8601 instant; none: the token does not expire") String expiresAt) {
    }

    /** A new token: its {@code token} text, shown this once, beside what the listing shows. */
    public record CreatedToken(String token, TokenInfo info) {
    }

    @Operation(operationId = "createToken", summary = "Create a token", description = "The token's text is in this"
            + " answer only; the service keeps its hash.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "TokenRequest"), examples = @ExampleObject(name = "viewer",
            value = "{\"userId\": \"grafana\", \"role\": \"viewer\", \"description\": \"dashboards\","
                    + " \"expiresAt\": \"2030-01-01T00:00:00Z\"}")))
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedToken.class)))
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    public Response create(byte[] body, @Context UriInfo uri) {
        TokenRequest request = parser.read(body, TokenRequest.class, "the token");
        ApiTokens.Created created = tokens.create(request.userId(), request.role(), request.description(),
                QueryParameters.instant("expiresAt", request.expiresAt()), user.id());
        return Response.created(uri.getBaseUriBuilder().path(TokenResource.class).path(created.info().id()).build())
                .entity(new CreatedToken(created.token(), created.info())).build();
    }

    @Operation(operationId = "listTokens", summary = "Every token, newest first, without its text")
    @GET
    public List<TokenInfo> list() {
        return tokens.list();
    }

    /** Revoked at once; a revoked token stays listed with who revoked it and when. */
    @Operation(operationId = "revokeToken", summary = "Revoke a token", description = "At once; the token stays listed"
            + " with who revoked it and when. A token from the configuration cannot be revoked here (409).")
    @APIResponse(responseCode = "200", description = "The revoked token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenInfo.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @DELETE
    @Path("{id}")
    public TokenInfo revoke(@PathParam("id") String id) {
        return tokens.revoke(id, user.id());
    }
}
