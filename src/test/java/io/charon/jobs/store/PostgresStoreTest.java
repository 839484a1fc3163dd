package io.charon.jobs.store;

import io.charon.jobs.store.postgresql.WriterLock;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.NoticeLog;
import io.charon.jobs.support.PostgresStoreProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;

/** What only the PostgreSQL store has: the writer lock across connections, and notices through the database. */
@QuarkusTest
@Tag("postgresql-only") // runs in the PostgreSQL execution, as every @QuarkusTest there, without a profile
class PostgresStoreTest {

    /** Whether this backend holds the writer lock (a bigint key is split into classid and objid, objsubid 1). */
    private static final String WRITER_LOCK_HELD_HERE = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND granted AND pid = pg_backend_pid() AND objsubid = 1"
            + " AND classid::bigint = " + (WriterLock.WRITER_LOCK >>> 32)
            + " AND objid::bigint = " + (WriterLock.WRITER_LOCK & 0xffffffffL);

    @Inject
    Store store;

    @Inject
    NoticeLog notices;

    @Inject
    QueueSql queueSql;

    @Inject
    ClusterWork clusterWork;

    @Test
    void theServiceRunsOnPostgres() {
        assertThat(store.kind()).isEqualTo(Store.Kind.POSTGRESQL);
        // the store's side of each concern follows: claims of their own, turns between replicas
        assertThat(queueSql.claimsAlongOtherWrites()).isFalse();
        assertThat(queueSql.sharedByReplicas()).isTrue();
        assertThat(clusterWork.movesBetweenReplicas()).isTrue();
        assertThat(store.dataSource().getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration()
                .jdbcUrl()).startsWith("jdbc:postgresql:");
    }

    /** Every readiness check, the migrations' among them, finds the PostgreSQL store's own beans. */
    @Test
    void theServiceIsReadyOnPostgres() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'migrations' }.status", equalTo("UP"));
    }

    @Test
    void writeTransactionsTakeTheWriterLockOneAtATimeWhilePlainTransactionsDoNot() throws Exception {
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            touchProbe();
            firstHolds.countDown();
            awaitLatch(release);
        }));
        assertThat(firstHolds.await(30, TimeUnit.SECONDS)).isTrue();
        // a write that locks no row: only the writer lock can hold it up
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() ->
                store.session().createNativeQuery("UPDATE jobs SET name = name WHERE id = 'no-such-job'").executeUpdate()));

        await().atMost(Duration.ofSeconds(30)).until(() -> waitingForAdvisoryLocks() >= 1);
        assertThat(second).isNotDone();

        // a plain JDBC transaction (as Flyway's) is not held up by the lock
        try (Connection plain = store.dataSource().getConnection()) {
            plain.setAutoCommit(false);
            try (Statement statement = plain.createStatement(); ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM jobs")) {
                assertThat(row.next()).isTrue();
            }
            plain.commit();
        }

        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
    }

    /** The lock is taken by the pool as it lends a service transaction its connection, before the first statement. */
    @Test
    void aServiceTransactionHoldsTheWriterLockFromItsFirstStatementWhileAPlainOneDoesNot() throws SQLException {
        long heldInServiceTransaction = QuarkusTransaction.requiringNew().call(() -> ((Number) store.session()
                .createNativeQuery(WRITER_LOCK_HELD_HERE).getSingleResult()).longValue());
        assertThat(heldInServiceTransaction).isEqualTo(1);

        try (Connection plain = store.dataSource().getConnection()) {
            plain.setAutoCommit(false);
            try (Statement statement = plain.createStatement(); ResultSet row = statement.executeQuery(WRITER_LOCK_HELD_HERE)) {
                assertThat(row.next()).isTrue();
                assertThat(row.getLong(1)).isZero();
            }
            plain.commit();
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

    private long waitingForAdvisoryLocks() throws SQLException {
        try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database ="
                             + " (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the first transaction");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
