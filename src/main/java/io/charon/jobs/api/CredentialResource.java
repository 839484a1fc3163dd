package io.charon.jobs.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.charon.jobs.credential.CredentialRequest;
import io.charon.jobs.credential.Credentials;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.security.Role;
import io.charon.jobs.submission.SubmissionParser;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

/**
 * Stored credentials: ssh keys, become passwords, vault passwords. Operators create them and own
 * them; owners share them with users, who may then see them and name them in jobs; owners and
 * admins replace and delete them. Secret fields are written, never read back.
 */
@Path("/api/v1/credentials")
@Tag(name = "Credentials", description = "Stored ssh keys, become and vault passwords for jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class CredentialResource {

    private static final String WHAT = "the credential";
    private static final String NOT_JSON = "is not valid JSON";

    private final Credentials credentials;
    private final SubmissionParser parser;
    private final CurrentUser user;

    public CredentialResource(Credentials credentials, SubmissionParser parser, CurrentUser user) {
        this.credentials = credentials;
        this.parser = parser;
        this.user = user;
    }

    /** A create or a full replacement; which fields belong depends on {@code kind}. */
    @Schema(name = "CredentialRequest", description = "A credential to store. Unknown fields and wrong types are"
            + " refused; fields that the kind does not take are refused. Secret fields are write-only.",
            additionalProperties = Schema.False.class)
    @RegisterForReflection // read or written by an ObjectMapper of its own, not by a REST endpoint's: a native build needs it registered
    public record CredentialBody(
            @Schema(description = "1 to 100 letters, digits or `_ . -`, starting with a letter, digit or `_`;"
                    + " required to create, in a replacement absent or the name of the path") String name,
            @Schema(required = true, enumeration = {"ssh", "become", "vault"}) String kind,
            @Schema(description = "ssh (required): the remote user; become: the user to become (absent: the"
                    + " method's default)") String username,
            @Schema(description = "become only; default sudo", enumeration = {"sudo", "su", "doas", "pbrun", "pfexec",
                    "dzdo", "ksu", "runas", "machinectl", "sesu"}) String method,
            @Schema(description = "ssh only, required: an OpenSSH or PEM private key, at most 16384 characters;"
                    + " checked with ssh-add", writeOnly = true) String privateKey,
            @Schema(description = "ssh only: the private key's passphrase, required exactly when the key is encrypted",
                    writeOnly = true, maxLength = 1024) String passphrase,
            @Schema(description = "become (optional) and vault (required): 1 to 1024 characters without line breaks",
                    writeOnly = true, maxLength = 1024) String password,
            @Schema(maxLength = 200) String description,
            @Schema(description = "up to 100 user ids who may see it and use it in jobs besides its owner and admins")
            List<String> users) {

        CredentialRequest request() {
            return new CredentialRequest(name, kind, username, method, privateKey, passphrase, password, description, users);
        }

        @Override
        public String toString() {
            return request().toString();
        }
    }

    @Operation(operationId = "createCredential", summary = "Store a credential", description = "The caller owns it."
            + " An ssh key is added to an ssh-agent of its own with its passphrase before it is stored: a key or"
            + " passphrase it refuses is a 400 naming the field. Needs charon.security.secret-key.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CredentialBody.class), examples = {
            @ExampleObject(name = "ssh", value = "{\"name\": \"deploy-key\", \"kind\": \"ssh\", \"username\": \"deploy\","
                    + " \"privateKey\": \"-----BEGIN OPENSSH PRIVATE KEY-----\\n...\\n-----END OPENSSH PRIVATE KEY-----\\n\","
                    + " \"users\": [\"ci-bot\"]}"),
            @ExampleObject(name = "become", value = "{\"name\": \"root-sudo\", \"kind\": \"become\", \"method\": \"sudo\","
                    + " \"password\": \"...\"}"),
            @ExampleObject(name = "vault", value = "{\"name\": \"prod-vault\", \"kind\": \"vault\", \"password\": \"...\"}")}))
    @APIResponse(responseCode = "201", description = "Stored; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response create(byte[] body, @Context UriInfo uri) {
        CredentialView created = CredentialView.of(credentials.create(read(body).request(), user.id()));
        return Response.created(uri.getBaseUriBuilder().path(CredentialResource.class).path(created.name()).build())
                .entity(created).build();
    }

    @Operation(operationId = "listCredentials", summary = "The credentials the caller may see, by name",
            description = "Those it owns and those shared with it; an admin sees all.")
    @GET
    public List<CredentialView> list() {
        return credentials.list(user.id(), user.isAdmin()).stream().map(CredentialView::of).toList();
    }

    @Operation(operationId = "getCredential", summary = "One credential, without its secrets",
            description = "404 for one the caller may not see, as for one that does not exist.")
    @APIResponse(responseCode = "200", description = "The credential",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialView.class)))
    @GET
    @Path("{name}")
    public CredentialView get(@PathParam("name") String name) {
        return CredentialView.of(credentials.get(name, user.id(), user.isAdmin()));
    }

    @Operation(operationId = "replaceCredential", summary = "Replace a credential", description = "Every field, the"
            + " secrets included, as a create gives them; the kind cannot change (409). For its owner and admins;"
            + " a user it is shared with gets 403.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CredentialBody.class)))
    @APIResponse(responseCode = "200", description = "The credential as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{name}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public CredentialView replace(@PathParam("name") String name, byte[] body) {
        return CredentialView.of(credentials.update(name, read(body).request(), user.id(), user.isAdmin()));
    }

    @Operation(operationId = "deleteCredential", summary = "Delete a credential", description = "For its owner and"
            + " admins; 409 while a job that has not ended names it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @DELETE
    @Path("{name}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response delete(@PathParam("name") String name) {
        credentials.delete(name, user.id(), user.isAdmin());
        return Response.noContent().build();
    }

    /** Strictly, as a submission; a body that is not JSON is refused without repeating any of it. */
    private CredentialBody read(byte[] body) {
        try {
            return parser.read(body, CredentialBody.class, WHAT);
        } catch (InvalidInputException e) {
            // the parser's message on malformed JSON may quote the text it stumbled on: a key, a password
            throw new InvalidInputException(e.errors().stream().map(error -> error.reason().startsWith(NOT_JSON)
                    ? new FieldError(error.field(), NOT_JSON) : error).toList());
        }
    }
}
