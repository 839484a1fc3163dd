package io.charon.jobs.lifecycle;

import io.charon.jobs.support.QueryPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention finds its jobs through the completion-time index, in order. On the status index it
 * read every finished job, in a transaction holding the write lock: two seconds at a million
 * jobs, during which no job could be submitted or claimed.
 */
class RetentionPlanTest {

    @TempDir
    Path dir;

    @Test
    void expiredJobsAreFoundInCompletionOrderWithoutReadingEveryFinishedJob() throws SQLException {
        assertThat(QueryPlans.migratedStoreIn(dir).of(Retention.EXPIRED))
                .anyMatch(step -> step.startsWith("SEARCH j USING INDEX ix_jobs_completed"))
                .noneMatch(step -> step.contains("ix_jobs_status"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }
}
