package io.charon.jobs.queue;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's reads on SQLite walk their partial index in the order they return, whatever the
 * planner would pick on its own: a plan that sorts every queued job made each claim cost grow
 * with the length of the queue.
 */
class QueuePlanTest {

    @TempDir
    Path dir;
    private String url;

    @BeforeEach
    void migrate() {
        url = "jdbc:sqlite:" + dir.resolve("plan.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
    }

    @Test
    void claimingReadsTheClaimIndexInClaimOrderWithoutSorting() throws SQLException {
        assertThat(plan(JobQueue.CLAIMABLE)).anyMatch(step -> step.contains("USING INDEX ix_jobs_claim"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void promotingReadsTheScheduleIndexWithoutSorting() throws SQLException {
        assertThat(plan(JobQueue.DUE_SCHEDULED)).anyMatch(step -> step.contains("USING INDEX ix_jobs_scheduled"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void findingTheNextScheduledTimeReadsOneEntryOfTheScheduleIndex() throws SQLException {
        assertThat(plan(JobQueue.NEXT_SCHEDULED)).anyMatch(step -> step.contains("USING INDEX ix_jobs_scheduled"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    private List<String> plan(String query) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + query)) {
            if (explain.getParameterMetaData().getParameterCount() > 0) {
                explain.setLong(1, 0);
                explain.setInt(2, 32);
            }
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    steps.add(rows.getString("detail"));
                }
            }
        }
        return steps;
    }
}
