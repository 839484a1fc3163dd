package io.charon.jobs.store;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.events.EventFilter;
import io.charon.jobs.events.EventHistory;
import io.charon.jobs.events.EventPosition;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.NoticeLog;
import io.charon.jobs.support.PostgresStoreProfile;
import io.charon.jobs.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;

/** What only the PostgreSQL store has: writers that do not wait for each other, and notices through the database. */
@QuarkusTest
@Tag("postgresql-only") // runs in the PostgreSQL execution, as every @QuarkusTest there, without a profile
class PostgresStoreTest {

    @Inject
    Store store;

    @Inject
    NoticeLog notices;

    @Inject
    QueueSql queueSql;

    @Inject
    EventHistory history;

    @Inject
    ClusterWork clusterWork;

    @Inject
    JobsConfig config;

    @Test
    void theServiceRunsOnPostgres() {
        assertThat(store.kind()).isEqualTo(Store.Kind.POSTGRESQL);
        // the store's side of each concern follows: claims along other writes, run slots, turns between replicas
        assertThat(queueSql.claimsAlongOtherWrites()).isTrue();
        assertThat(queueSql.sharedByReplicas()).isTrue();
        assertThat(clusterWork.movesBetweenReplicas()).isTrue();
        assertThat(store.dataSource().getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration()
                .jdbcUrl()).startsWith("jdbc:postgresql:");
    }

    /**
     * A batch of inserts goes as multi-row statements: the driver then cannot count each row and
     * reports every one as done without a count, where statements of a row each report 1.
     */
    @Test
    void batchedInsertsGoAsMultiRowStatements() throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE batched (n integer)");
            try (var insert = connection.prepareStatement("INSERT INTO batched (n) VALUES (?)")) {
                for (int n = 0; n < 8; n++) {
                    insert.setInt(1, n);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).containsOnly(Statement.SUCCESS_NO_INFO).hasSize(8);
            }
            statement.execute("DROP TABLE batched");
        }
    }

    /** Start-up made the run slots of the cluster-wide cap, up to this replica's cap. */
    @Test
    void theRunSlotsExistUpToTheCap() throws Exception {
        long[] slots = {0};
        StoreReads.forEachRow(store.dataSource(), "SELECT COUNT(*) FROM run_slots WHERE slot BETWEEN 1 AND ?",
                List.of(config.maxConcurrentJobs()), row -> slots[0] = row.getLong(1));
        assertThat(slots[0]).isEqualTo(config.maxConcurrentJobs());
    }

    /** Every readiness check, the migrations' among them, finds the PostgreSQL store's own beans. */
    @Test
    void theServiceIsReadyOnPostgres() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'migrations' }.status", equalTo("UP"));
    }

    /**
     * No store-wide lock: while another replica's write transaction is open (it changed a job and
     * recorded an event), a job is submitted, claimed, run and its outcome recorded. Readers of
     * the event log only wait for that transaction: nothing it might still commit can sort before
     * what they pass, so they hold back the new job's events until it ends, then get all of them.
     */
    @Test
    void anOpenWriteTransactionOfAnotherReplicaHoldsUpNoWriterAndOnlyHoldsBackEventReaders() throws Exception {
        String tag = "unlocked-" + UUID.randomUUID();
        String held = Api.submit(Api.with(Api.job("held", "hello.yml"), "scheduledAt",
                Instant.now().plus(Duration.ofDays(1)).toString()));
        try (SseClient events = SseClient.open("/api/v1/events?after=0&tag=" + tag);
             Connection otherReplica = store.dataSource().getConnection()) {
            otherReplica.setAutoCommit(false);
            try (Statement write = otherReplica.createStatement()) {
                write.executeUpdate("UPDATE jobs SET name = name WHERE id = '" + held + "'");
                write.executeUpdate("INSERT INTO job_events (job_id, seq, type, status, message, created_at)"
                        + " VALUES ('" + held + "', 1000, 'job.progress', 'scheduled', 'open', now())");
            }

            String id = Api.submit(Api.with(Api.job("unlocked", "hello.yml"), "tags", List.of(tag)));
            await().atMost(Duration.ofSeconds(90)).until(() -> "completed".equals(Api.status(id)));
            assertThat(Api.events(id)).extracting(e -> e.get("type"))
                    .contains("job.created", "job.started", "job.completed");
            // the transaction is still open: readers have not passed it
            assertThat(history.after(EventPosition.START, new EventFilter(Set.of(), id, null), 100)).isEmpty();

            otherReplica.rollback();
            List<SseClient.Message> seen = events.until(m -> m.event().equals("job.completed"), Duration.ofSeconds(60));
            assertThat(seen).extracting(SseClient.Message::event).startsWith("job.created").endsWith("job.completed");
        }
    }

    @Test
    void committedChangesAndOtherReplicasNoticesArriveThroughTheDatabase() throws Exception {
        String id = Api.submit(Api.job("noticed", "hello.yml"));
        Api.awaitTerminal(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> notices.heard().contains(
                new StoreNotices.Notice(StoreNotices.Kind.CLAIMABLE, null)));
        assertThat(notices.heard()).contains(new StoreNotices.Notice(StoreNotices.Kind.EVENTS, null));

        // as another replica would: a notice sent by a commit elsewhere
        try (Connection other = DriverManager.getConnection(
                store.dataSource().getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration().jdbcUrl(),
                PostgresStoreProfile.USER, "");
             Statement statement = other.createStatement()) {
            statement.execute("SELECT pg_notify('charon_jobs', 'CANCELLED:job-elsewhere')");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> notices.heard().contains(
                new StoreNotices.Notice(StoreNotices.Kind.CANCELLED, "job-elsewhere")));
    }

    private void touchProbe() {
        store.session().createNativeQuery("UPDATE health_probe SET checked_at = checked_at WHERE id = 1").executeUpdate();
    }
}
