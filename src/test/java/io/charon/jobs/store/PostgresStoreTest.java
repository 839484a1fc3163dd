package io.charon.jobs.store;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.NoticeLog;
import io.charon.jobs.support.PostgresStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;

/** What only the PostgreSQL store has: notices through the database. */
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
