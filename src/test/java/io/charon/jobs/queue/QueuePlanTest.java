package io.charon.jobs.queue;

import io.charon.jobs.store.QueueSql;
import io.charon.jobs.store.sqlite.SqliteSql;
import io.charon.jobs.support.QueryPlans;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's reads on SQLite walk their partial index in the order they return, whatever the
 * planner would pick on its own: a plan that sorts every queued job made each claim cost grow
 * with the length of the queue.
 */
class QueuePlanTest {

    private static final QueueSql SQLITE = new SqliteSql();

    @TempDir
    Path dir;
    private QueryPlans plans;

    @BeforeEach
    void migrate() {
        plans = QueryPlans.migratedStoreIn(dir);
    }

    @Test
    void claimingReadsTheClaimIndexInClaimOrderWithoutSorting() throws SQLException {
        assertThat(plans.of(JobQueue.claimable(SQLITE, 0))).anyMatch(step -> step.contains("USING INDEX ix_jobs_claim"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void claimingLooksUpEachCandidatesHostsByItsKeyThenTheirLocks() throws SQLException {
        List<String> plan = plans.of(JobQueue.claimable(SQLITE, 0));
        assertThat(plan).as(String.join("\n", plan))
                .anyMatch(step -> step.contains("SEARCH mine USING") && step.contains("(job_id=?)"))
                .anyMatch(step -> step.contains("SEARCH held USING") && step.contains("(host=?)"))
                .noneMatch(step -> step.contains("SCAN held"));
    }

    @Test
    void settingAsideStartsFromTheHeldLocksAndLooksUpTheirWaitersByKey() throws SQLException {
        for (boolean someHolders : List.of(false, true)) {
            List<String> plan = plans.of(HostWaits.waiting(SQLITE, someHolders));
            assertThat(plan).as(String.join("\n", plan))
                    .anyMatch(step -> step.contains("SEARCH mine USING") && step.contains("(host=?)"))
                    .anyMatch(step -> step.contains("SEARCH w USING") && step.contains("(id=?)"))
                    .anyMatch(step -> step.contains("SEARCH holder USING") && step.contains("(id=?)"))
                    .noneMatch(step -> step.startsWith("SCAN w") || step.startsWith("SCAN mine") || step.startsWith("SCAN holder"));
            assertThat(plan.get(0)).matches("(SCAN|SEARCH) held.*");
        }
    }

    @Test
    void promotingReadsTheScheduleIndexWithoutSorting() throws SQLException {
        assertThat(plans.of(JobQueue.dueScheduled(SQLITE))).anyMatch(step -> step.contains("USING INDEX ix_jobs_scheduled"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void findingTheNextScheduledTimeReadsOneEntryOfTheScheduleIndex() throws SQLException {
        assertThat(plans.of(JobQueue.nextScheduled(SQLITE))).anyMatch(step -> step.contains("USING INDEX ix_jobs_scheduled"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void cancellingLateJobsReadsTheStartDeadlineIndexWithoutSorting() throws SQLException {
        assertThat(plans.of(JobQueue.pastStartDeadline(SQLITE)))
                .anyMatch(step -> step.contains("USING INDEX ix_jobs_start_deadline"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
        assertThat(plans.of(JobQueue.nextStartDeadline(SQLITE)))
                .anyMatch(step -> step.contains("USING INDEX ix_jobs_start_deadline"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }
}
