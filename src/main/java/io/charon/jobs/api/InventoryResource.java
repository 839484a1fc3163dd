package io.charon.jobs.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.charon.jobs.inventory.Inventories;
import io.charon.jobs.inventory.Inventory;
import io.charon.jobs.inventory.InventoryChange;
import io.charon.jobs.inventory.InventoryDocument;
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
import java.util.Map;

/**
 * Stored inventories: hosts with their variables, groups, host keys, and who may use them.
 * Operators create them and manage their own; those an inventory lists in {@code users} may read
 * it and run jobs on it; to anyone else it answers as if it did not exist.
 */
@Path("/api/v1/inventories")
@Tag(name = "Inventories", description = "Stored inventories: hosts, groups, variables, host keys")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class InventoryResource {

    private static final String EXAMPLE = "{\"name\": \"web\", \"hosts\": {\"web1\": {\"ansible_host\": \"10.0.0.11\"},"
            + " \"web2\": {\"ansible_host\": \"10.0.0.12\", \"ansible_port\": \"2222\"}},"
            + " \"groups\": {\"frontend\": {\"hosts\": [\"web1\", \"web2\"], \"vars\": {\"http_port\": \"8080\"}}},"
            + " \"vars\": {\"ansible_user\": \"deploy\"}, \"hostKeyPolicy\": \"strict\","
            + " \"knownHosts\": \"10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKCqOzQsOGP8umaginU3pFQsH6+7QW1OxqGZn+gDQ9D+\\n\","
            + " \"users\": [\"alice\"]}";

    private final Inventories inventories;
    private final SubmissionParser parser;
    private final CurrentUser user;

    public InventoryResource(Inventories inventories, SubmissionParser parser, CurrentUser user) {
        this.inventories = inventories;
        this.parser = parser;
        this.user = user;
    }

    /** A whole inventory; {@code name} only when it is created (a replacement takes it from the path). */
    @RegisterForReflection // read or written by an ObjectMapper of its own, not by a REST endpoint's: a native build needs it registered
    public record InventoryRequest(String name, Map<String, Map<String, String>> hosts,
                                   Map<String, InventoryDocument.Group> groups, Map<String, String> vars,
                                   String hostKeyPolicy, String knownHosts, List<String> users) {

        InventoryChange change(String name) {
            return new InventoryChange(name, hosts, groups, vars, hostKeyPolicy, knownHosts, users);
        }
    }

    @Operation(operationId = "createInventory", summary = "Create an inventory",
            description = "Stores it at version 1, owned by the caller.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "InventoryRequest"), examples = @ExampleObject(name = "web", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InventoryView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response create(byte[] body, @Context UriInfo uri) {
        InventoryRequest request = parser.read(body, InventoryRequest.class, "the inventory");
        Inventory created = inventories.create(request.change(request.name()), user.id());
        return Response.created(uri.getBaseUriBuilder().path(InventoryResource.class).path(created.name()).build())
                .entity(InventoryView.of(created)).build();
    }

    @Operation(operationId = "listInventories", summary = "The inventories the caller may see, by name",
            description = "Those the caller owns or is listed in; every one for an admin.")
    @GET
    public List<InventoryView> list() {
        return inventories.list(user.id(), user.isAdmin()).stream().map(InventoryView::of).toList();
    }

    @Operation(operationId = "getInventory", summary = "One inventory at its current version")
    @APIResponse(responseCode = "200", description = "The inventory",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InventoryView.class)))
    @GET
    @Path("{name}")
    public InventoryView get(@PathParam("name") String name) {
        return InventoryView.of(inventories.get(name, user.id(), user.isAdmin()));
    }

    @Operation(operationId = "replaceInventory", summary = "Replace an inventory",
            description = "The body replaces the whole inventory (a field left out takes its default) and makes its"
                    + " next version; jobs already submitted keep the version they recorded. Its owner and admins"
                    + " only.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "InventoryRequest"), examples = @ExampleObject(name = "web", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The inventory at its new version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InventoryView.class)))
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{name}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public InventoryView replace(@PathParam("name") String name, byte[] body) {
        InventoryRequest request = parser.read(body, InventoryRequest.class, "the inventory");
        if (request.name() != null && !request.name().equals(name)) {
            throw new InvalidInputException("name", "must be left out or equal the name in the path;"
                    + " an inventory cannot be renamed");
        }
        return InventoryView.of(inventories.update(name, request.change(name), user.id(), user.isAdmin()));
    }

    @Operation(operationId = "deleteInventory", summary = "Delete an inventory and its versions",
            description = "Refused (409) while a job that has not ended names it. Its owner and admins only.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @DELETE
    @Path("{name}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response delete(@PathParam("name") String name) {
        inventories.delete(name, user.id(), user.isAdmin());
        return Response.noContent().build();
    }
}
