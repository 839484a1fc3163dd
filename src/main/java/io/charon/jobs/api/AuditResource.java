package io.charon.jobs.api;

import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.security.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The audit trail, newest first, for admins. */
@Path("/api/v1/audit")
@Tag(name = "Audit", description = "Who did what, and what was refused")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.ADMIN_NAME)
public class AuditResource {

    private final AuditTrail audit;

    public AuditResource(AuditTrail audit) {
        this.audit = audit;
    }

    /** A page of entries; {@code nextCursor} (an entry id) gives the next, older page. */
    public record AuditPage(List<AuditEntry> items, String nextCursor) {
    }

    @Operation(operationId = "listAuditEntries", summary = "The audit trail, newest first", description = "Who did what"
            + " and when: submissions, cancellations, relaunches, pool resizes, token changes, refused credentials and"
            + " denied requests. Keyset-paged: pass the nextCursor of a page to get the next, older one. Filters combine.")
    @Parameter(name = "principal", description = "Only entries of this user (`-` for a refused credential)")
    @Parameter(name = "action", description = "Only this action, e.g. job.submit, token.create, authentication")
    @Parameter(name = "target", description = "Only entries about this target, e.g. a job id")
    @Parameter(name = "limit", description = "1 to 500, default 50")
    @Parameter(name = "cursor", description = "The nextCursor of the previous page")
    @GET
    public AuditPage list(@QueryParam("principal") String principal,
                          @QueryParam("action") String action,
                          @QueryParam("target") String target,
                          @QueryParam("limit") String limit,
                          @QueryParam("cursor") String cursor) {
        int size = QueryParameters.integer("limit", limit, JobResource.DEFAULT_PAGE, 1, JobResource.MAX_PAGE);
        Integer before = QueryParameters.integer("cursor", cursor, 0, 1, Integer.MAX_VALUE);
        List<AuditEntry> rows = audit.list(new AuditTrail.Query(QueryParameters.optional(principal), QueryParameters.optional(action),
                QueryParameters.optional(target), before == 0 ? null : before.longValue(), size + 1));
        if (rows.size() <= size) {
            return new AuditPage(rows, null);
        }
        return new AuditPage(rows.subList(0, size), Long.toString(rows.get(size - 1).id()));
    }
}
