package io.charon.jobs.events;

import io.charon.jobs.store.EventLogSql;
import io.charon.jobs.store.StoreReads;
import io.charon.jobs.store.postgresql.PostgresEventLog;
import io.charon.jobs.support.QueryPlans;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans of the event log's reads on PostgreSQL. The driver turns a statement run five times on a
 * connection into a server-side prepared one, and the server may keep a generic plan for it from
 * then on: the feed's and the relay's reads of events after a position, made while a drain's
 * tables were small, joined each event to a materialised scan of all jobs, and as the jobs table
 * grew each read cost hundreds of milliseconds of the server's CPU. Here: many such reads on one
 * connection leave no prepared statement behind (the same statement without
 * {@link EventLogSql#prepareReadAfter} does: the check can fail); such a read planned on 30,000
 * jobs and 60,000 events without statistics walks the position index and looks each job up by
 * key; and the newest and held-back reads, which are left prepared, keep the plan they got on
 * small tables, a walk from the index's end, once the tables have grown.
 * A @QuarkusTest only to run in the PostgreSQL execution; the tables are in a schema of their own.
 */
@QuarkusTest
@Tag("postgresql-only")
class PostgresEventReadPlanTest {

    private static final EventLogSql LOG = new PostgresEventLog();
    /** More than the driver's prepare threshold (5) and the server's custom plans before a generic one (5). */
    private static final int READS = 12;
    private static final String JOBS = """
            INSERT INTO jobs (id, name, type, priority, status, playbook, inventory, variables, tags, depends_on, user_id,
                              timeout_ms, max_retries, retry_count, retry_delay_ms, created_at, lease_token, event_seq)
            SELECT 'job-' || g, 'n', 'ansible', 0, 'completed', 'site.yml', 'localhost', '{}', '["nightly"]', '[]', 'u',
                   60000, 0, 0, 0, now(), 0, 2
            FROM generate_series(%d, %d) g""";
    private static final String EVENTS = """
            INSERT INTO job_events (job_id, seq, type, status, created_at)
            SELECT 'job-' || g, s, CASE s WHEN 1 THEN 'job.started' ELSE 'job.completed' END, 'completed', now()
            FROM generate_series(%d, %d) g, generate_series(1, 2) s""";

    private QueryPlans schema;

    @BeforeEach
    void smallTables() throws SQLException {
        schema = QueryPlans.migratedPostgresSchema();
        schema.run("ALTER TABLE job_events SET (autovacuum_enabled = false)", JOBS.formatted(1, 50), EVENTS.formatted(1, 50));
    }

    @AfterEach
    void drop() throws SQLException {
        schema.close();
    }

    @Test
    void readsOfEventsAfterAPositionLeaveNoPreparedStatementThatCouldKeepAPlan() throws SQLException {
        try (Connection connection = schema.connect()) {
            for (int i = 0; i < READS; i++) {
                assertThat(readAll(connection, true)).hasSize(100);
            }
            assertThat(preparedOnServer(connection)).as("statements the server keeps for this connection").isZero();

            for (int i = 0; i < READS; i++) {
                readAll(connection, false);
            }
            assertThat(preparedOnServer(connection)).as("the same read, left to the driver").isEqualTo(1);
        }
    }

    @Test
    void aReadOnGrownTablesWithoutStatisticsWalksThePositionIndexAndLooksJobsUp() throws SQLException {
        schema.run(JOBS.formatted(51, 30_000), EVENTS.formatted(51, 30_000));
        List<Object> params = new ArrayList<>();
        String read = EventHistory.afterQuery(LOG, EventPosition.START, EventFilter.all(), 256, params);
        List<String> plan = new ArrayList<>();
        try (Connection connection = schema.connect();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN (COSTS OFF) " + read)) {
            for (int i = 0; i < params.size(); i++) {
                explain.setObject(i + 1, params.get(i));
            }
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    plan.add(rows.getString(1).trim());
                }
            }
        }
        assertThat(String.join("\n", plan)).as("the plan")
                .contains("Index Scan using ix_job_events_position on job_events e")
                .contains("Index Scan using jobs_pkey on jobs j")
                .doesNotContain("Seq Scan").doesNotContain("Materialize").doesNotContain("Sort");
    }

    @Test
    void theNewestAndHeldBackReadsPreparedOnSmallTablesWalkTheIndexFromItsEndOnceTheyHaveGrown() throws SQLException {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            // as the driver's server-side statements: prepared and run while the tables are small
            statement.execute("PREPARE newest AS " + LOG.newest());
            statement.execute("PREPARE held_back AS " + LOG.heldBack().orElseThrow());
            for (int i = 0; i < READS; i++) {
                statement.execute("EXECUTE newest");
                statement.execute("EXECUTE held_back");
            }
            schema.run(JOBS.formatted(51, 30_000), EVENTS.formatted(51, 30_000));
            for (String read : List.of("newest", "held_back")) {
                assertThat(String.join("\n", plan(statement, "EXPLAIN (COSTS OFF) EXECUTE " + read))).as("the plan of " + read)
                        .contains("Index Only Scan Backward using ix_job_events_position on job_events e")
                        .contains("Limit").doesNotContain("Seq Scan").doesNotContain("Sort");
            }
        }
    }

    private static List<String> plan(Statement statement, String explain) throws SQLException {
        List<String> plan = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(explain)) {
            while (rows.next()) {
                plan.add(rows.getString(1).trim());
            }
        }
        return plan;
    }

    /** Every event, read as the feed reads them; with or without the log's own preparation. */
    private static List<Long> readAll(Connection connection, boolean asTheLogPrepares) throws SQLException {
        List<Object> params = new ArrayList<>();
        String read = EventHistory.afterQuery(LOG, EventPosition.START, EventFilter.ofTypes(Set.of()), 500, params);
        List<Long> ids = new ArrayList<>();
        StoreReads.forEachRow(connection, read, params, asTheLogPrepares ? LOG::prepareReadAfter : statement -> {
        }, row -> ids.add(row.getLong(1)));
        return ids;
    }

    private static long preparedOnServer(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM job_events e JOIN jobs%'"
                        + " AND statement NOT LIKE '%pg_prepared_statements%'");
             ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
