package io.charon.jobs.queue;

import io.charon.jobs.store.QueueSql;
import io.charon.jobs.store.postgresql.PostgresSql;
import io.charon.jobs.support.QueryPlans;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's selections on PostgreSQL walk their partial index in order and stop at their limit
 * on a table the planner has no statistics for (autovacuum off, or a queue filled since the last
 * ANALYZE): 100,000 queued jobs, a tenth of them with dependencies, or 100,000 due scheduled ones. Left to itself, the planner took the claim index for a few rows there and read
 * every queued job, hash-anti-joined the dependencies and sorted: tens to hundreds of
 * milliseconds per claim; it sorted every due scheduled job likewise. A @QuarkusTest only to run
 * in the PostgreSQL execution; the plans are read in schemas of their own.
 */
@QuarkusTest
@Tag("postgresql-only")
class PostgresQueuePlanTest {

    private static final QueueSql POSTGRES = new PostgresSql();
    /** As many due jobs as the dispatcher promotes in one transaction. */
    private static final int PROMOTE_BATCH = 500;
    private static final String JOB = """
            INSERT INTO jobs (id, name, type, priority, status, playbook, inventory, variables, tags, depends_on, user_id,
                              scheduled_at, timeout_ms, max_retries, retry_count, retry_delay_ms, created_at, lease_token,
                              event_seq)
            SELECT '%1$s-' || g, 'n', 'ansible', g %% 3, '%1$s', 'site.yml', 'localhost', '{}', '[]', '[]', 'u',
                   %2$s, 60000, 0, 0, 0, now() - (200000 - g) * interval '1 ms', 0, 1
            FROM generate_series(1, %3$d) g""";

    /**
     * A queue of 100,000 jobs, a tenth of them waiting for one of 1,000 parents, half of which
     * completed; each on one of 1,000 hosts, 200 of which running jobs hold.
     */
    private static QueryPlans queue;
    /** 100,000 scheduled jobs, all due. */
    private static QueryPlans schedule;
    /** 100,000 queued jobs, all past their start deadline. */
    private static QueryPlans late;

    @BeforeAll
    static void fillFreshTables() throws SQLException {
        queue = QueryPlans.migratedPostgresSchema();
        queue.run(JOB.formatted("queued", "NULL", 100_000),
                JOB.formatted("completed", "NULL", 500),
                JOB.formatted("running", "NULL", 500),
                """
                INSERT INTO job_dependencies (job_id, depends_on_id)
                SELECT 'queued-' || g, CASE WHEN g % 20 = 0 THEN 'completed-' ELSE 'running-' END || (g / 20 % 500 + 1)
                FROM generate_series(10, 100000, 10) g""",
                "INSERT INTO job_hosts (job_id, host) SELECT 'queued-' || g, 'host-' || g % 1000 FROM generate_series(1, 100000) g",
                "INSERT INTO host_locks (host, job_id, exclusive) SELECT 'host-' || g, 'running-' || (g % 10 + 1), true"
                        + " FROM generate_series(0, 199) g");
        schedule = QueryPlans.migratedPostgresSchema();
        schedule.run(JOB.formatted("scheduled", "now() - (200000 - g) * interval '1 ms'", 100_000));
        late = QueryPlans.migratedPostgresSchema();
        late.run(JOB.formatted("queued", "NULL", 100_000),
                "UPDATE jobs SET start_deadline_ms = 60000, start_deadline_at = created_at + interval '1 minute'");
    }

    @AfterAll
    static void dropThem() throws SQLException {
        queue.close();
        schedule.close();
        late.close();
    }

    @Test
    void claimingWalksTheClaimIndexCheckingDependenciesPerCandidate() throws SQLException {
        List<String> plan = queue.of(POSTGRES.pinIndexWalk(), JobQueue.claimable(POSTGRES, 0));
        assertThat(plan).as(String.join("\n", plan))
                .anyMatch(step -> step.contains("Index Scan using ix_jobs_claim on jobs j"))
                .anyMatch(step -> step.contains("SubPlan"))
                .anyMatch(step -> step.contains("job_hosts_pkey on job_hosts mine"))
                .noneMatch(step -> step.contains("Sort"))
                .noneMatch(step -> step.contains("Anti Join"))
                .noneMatch(step -> step.contains("Seq Scan"))
                .noneMatch(step -> step.contains("Bitmap"));
    }

    @Test
    void settingAsideStartsFromTheHeldLocksAndLooksUpTheirWaitersByKey() throws SQLException {
        List<String> plan = queue.of(Stream.concat(POSTGRES.pinIndexWalk().stream(), POSTGRES.keepJoinOrder().stream()).toList(),
                HostWaits.waiting(POSTGRES, false), 2_000);
        assertThat(plan).as(String.join("\n", plan))
                .anyMatch(step -> step.contains("host_locks_pkey on host_locks held"))
                .anyMatch(step -> step.contains("ix_job_hosts_host on job_hosts mine"))
                .anyMatch(step -> step.contains("jobs_pkey on jobs w"))
                .noneMatch(step -> step.contains("Seq Scan"))
                .noneMatch(step -> step.contains("Bitmap"))
                .noneMatch(step -> step.contains("ix_jobs_claim"));
    }

    @Test
    void promotingWalksTheScheduleIndex() throws SQLException {
        List<String> plan = schedule.of(POSTGRES.pinIndexWalk(), JobQueue.dueScheduled(POSTGRES), PROMOTE_BATCH);
        assertThat(plan).as(String.join("\n", plan))
                .anyMatch(step -> step.contains("Index Scan using ix_jobs_scheduled on jobs j"))
                .noneMatch(step -> step.contains("Sort"))
                .noneMatch(step -> step.contains("Bitmap"));
    }

    @Test
    void findingTheNextScheduledTimeReadsOneEntryOfTheScheduleIndex() throws SQLException {
        List<String> plan = schedule.of(JobQueue.nextScheduled(POSTGRES));
        assertThat(plan).as(String.join("\n", plan))
                .anyMatch(step -> step.contains("Index Scan using ix_jobs_scheduled on jobs j"))
                .noneMatch(step -> step.contains("Sort"));
    }

    @Test
    void cancellingLateJobsWalksTheStartDeadlineIndex() throws SQLException {
        List<String> plan = late.of(POSTGRES.pinIndexWalk(), JobQueue.pastStartDeadline(POSTGRES), PROMOTE_BATCH);
        assertThat(plan).as(String.join("\n", plan))
                .anyMatch(step -> step.contains("Index Scan using ix_jobs_start_deadline on jobs j"))
                .noneMatch(step -> step.contains("Sort"))
                .noneMatch(step -> step.contains("Bitmap"));
        List<String> next = late.of(JobQueue.nextStartDeadline(POSTGRES));
        assertThat(next).as(String.join("\n", next))
                .anyMatch(step -> step.contains("Index Scan using ix_jobs_start_deadline on jobs j"))
                .noneMatch(step -> step.contains("Sort"));
    }

    /** The pinning ends with its transaction: the pooled connection's next one plans as it would. */
    @Test
    void theSettingEndsWithTheTransaction() throws SQLException {
        assertThat(queue.settingAfter(POSTGRES.pinIndexWalk(), "enable_sort")).isEqualTo("off");
        assertThat(queue.settingAfterCommit(POSTGRES.pinIndexWalk(), "enable_sort")).isEqualTo("on");
    }
}
