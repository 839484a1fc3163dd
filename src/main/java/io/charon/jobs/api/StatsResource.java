package io.charon.jobs.api;

import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.observability.JobStatistics;
import io.charon.jobs.observability.StatsFilter;
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

import java.time.Instant;

/** Statistics of stored jobs, computed by the store (see {@link JobStatistics}). */
@Tag(name = "Statistics", description = "Figures of stored jobs")
@Path("/api/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class StatsResource {

    private final JobStatistics statistics;
    private final CurrentUser user;

    public StatsResource(JobStatistics statistics, CurrentUser user) {
        this.statistics = statistics;
        this.user = user;
    }

    @Operation(operationId = "getStats", summary = "Statistics of the jobs a filter selects", description = "Total, a count per status (every"
            + " status, 0 when none), success rate (completed / finished), retries, and the mean and nearest-rank p50/p95"
            + " of the run durations of finished jobs, in milliseconds; the same per type. Computed by the store.")
    @Parameter(name = "createdAfter", description = "ISO-8601 instant, inclusive; between 1970-01-01T00:00:00Z and"
            + " 9999-12-31T23:59:59Z")
    @Parameter(name = "createdBefore", description = "ISO-8601 instant, exclusive; later than createdAfter; between"
            + " 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z")
    @Parameter(name = "type", description = "ansible or provisioning")
    @Parameter(name = "tag", description = "Only jobs with this tag")
    @Parameter(name = "userId", description = "Only jobs of this user; who is not an admin sees only their own jobs")
    @GET
    public StatsView get(@QueryParam("createdAfter") String createdAfter,
                         @QueryParam("createdBefore") String createdBefore,
                         @QueryParam("type") String type,
                         @QueryParam("tag") String tag,
                         @QueryParam("userId") String userId) {
        Instant after = QueryParameters.instant("createdAfter", createdAfter);
        Instant before = QueryParameters.instant("createdBefore", createdBefore);
        if (after != null && before != null && !before.isAfter(after)) {
            throw new InvalidInputException("createdBefore", "must be later than createdAfter");
        }
        StatsFilter filter = new StatsFilter(after, before, QueryParameters.jobType("type", type),
                QueryParameters.optional(tag), user.ownerFilter(QueryParameters.optional(userId)));
        return StatsView.of(filter, statistics.compute(filter));
    }
}
