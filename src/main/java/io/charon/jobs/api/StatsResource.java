package io.charon.jobs.api;

import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.observability.JobStatistics;
import io.charon.jobs.observability.StatsFilter;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

/** Statistics of stored jobs, computed by the store (see {@link JobStatistics}). */
@Path("/api/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class StatsResource {

    private final JobStatistics statistics;

    public StatsResource(JobStatistics statistics) {
        this.statistics = statistics;
    }

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
                QueryParameters.text(tag), QueryParameters.text(userId));
        return StatsView.of(filter, statistics.compute(filter));
    }
}
