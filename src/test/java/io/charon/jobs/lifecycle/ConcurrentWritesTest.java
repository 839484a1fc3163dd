package io.charon.jobs.lifecycle;

import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.job.JobConflictException;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.store.Store;
import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Write transactions that overlap on the same rows, as those of two replicas sharing one PostgreSQL
 * database do. Each test forces its interleaving with row locks that a connection of its own holds
 * (the other replica's transaction, frozen), and waits for the service's transactions to queue
 * behind them by asking the database who blocks whom: no sleeps.
 */
@QuarkusTest
@Tag("postgresql-only") // SQLite writes one transaction at a time: these interleavings cannot happen there
class ConcurrentWritesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Store store;
    @Inject
    Canceller canceller;
    @Inject
    RunRecorder recorder;
    @Inject
    Retention retention;

    private final List<Connection> holders = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void releaseHolders() throws SQLException {
        threads.shutdownNow();
        for (Connection holder : holders) {
            holder.rollback();
            holder.close();
        }
    }

    @Test
    void aCancelRacingAnOutcomeOfTheSameRunEndsTheJobOnce() throws Exception {
        String id = scheduledJob("raced");
        long token = runElsewhere(id);
        Connection holder = holdRows(id);

        CompletableFuture<Boolean> cancel = async(() -> {
            try {
                canceller.cancel(id, "racer", job -> "tail");
                return true;
            } catch (JobConflictException alreadyEnded) {
                return false;
            }
        });
        CompletableFuture<Optional<JobStatus>> outcome = recorder.finishRunLater(id, token, succeeded());
        // both have read the job (or wait to): neither has changed it yet
        awaitBlockedBy(holder, 2);
        holder.commit();

        boolean cancelled = cancel.get();
        Optional<JobStatus> recorded = outcome.get();
        assertThat(cancelled).as("exactly one of the two ends the job").isNotEqualTo(recorded.isPresent());
        String status = Api.status(id);
        assertThat(status).isEqualTo(cancelled ? "cancelled" : "completed");
        assertThat(terminalEvents(id)).as("terminal events of " + id).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM job_attempts WHERE job_id = ?", id)).isEqualTo(1);
    }

    @Test
    void aDependentSubmittedWhileItsParentFailsFailsWithIt() throws Exception {
        String parent = scheduledJob("parent");
        long token = runElsewhere(parent);
        // the submission below stops at its idempotency key, held by a transaction that has not ended
        String key = UUID.randomUUID().toString();
        Connection keyHolder = holdKey(key);
        Map<String, Object> dependent = Api.job("dependent", "hello.yml");
        dependent.put("dependsOn", List.of(parent));
        CompletableFuture<Response> submission = async(() -> given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key).body(dependent).post("/api/v1/jobs"));
        awaitBlockedBy(keyHolder, 1);

        CompletableFuture<Optional<JobStatus>> failure = recorder.finishRunLater(parent, token,
                new ExecutionOutcome(ExecutionOutcome.Kind.FAILED, 2, "broken", null, null));
        // the parent's failure either ends before the submission commits, or waits for it
        await().atMost(WAIT).until(() -> failure.isDone() || blockedBy(keyHolder) >= 2);
        keyHolder.rollback();

        String child = submission.get().then().statusCode(201).extract().path("id");
        assertThat(failure.get()).contains(JobStatus.FAILED);
        assertThat(Api.status(child)).as("the dependent of a failed job").isEqualTo("failed");
        assertThat(terminalEvents(child)).isEqualTo(1);
    }

    @Test
    void aKeyStoredByAnotherTransactionMeanwhileAnswersAsARepeat() throws Exception {
        String tag = "race-" + UUID.randomUUID();
        Map<String, Object> body = Api.job("keyed", "hello.yml");
        body.put("tags", List.of(tag));
        body.put("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString());
        // the other replica's job, with its key's fingerprint of the same request
        String firstKey = UUID.randomUUID().toString();
        String theirs = keyed(firstKey, body).then().statusCode(201).extract().path("id");
        String key = UUID.randomUUID().toString();
        Connection otherReplica = holder();
        storeKeyOfSameRequest(otherReplica, key, firstKey);

        // checks the key before the other commits, then stores it after
        CompletableFuture<Response> mine = async(() -> keyed(key, body));
        awaitBlockedBy(otherReplica, 1);
        otherReplica.commit();

        mine.get().then().statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(theirs));
        assertThat(count("SELECT COUNT(*) FROM job_tags WHERE tag = ?", tag)).as("jobs tagged " + tag).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM jobs WHERE name = 'keyed' AND id <> ? AND tags LIKE ?", theirs,
                "%" + tag + "%")).isZero();
    }

    @Test
    void aKeyStoredByAnotherTransactionForAnotherRequestIsAConflict() throws Exception {
        String firstKey = UUID.randomUUID().toString();
        Map<String, Object> theirs = Api.job("theirs", "hello.yml");
        theirs.put("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString());
        keyed(firstKey, theirs).then().statusCode(201);
        String key = UUID.randomUUID().toString();
        Connection otherReplica = holder();
        storeKeyOfSameRequest(otherReplica, key, firstKey);

        CompletableFuture<Response> mine = async(() -> keyed(key, Api.job("mine", "hello.yml")));
        awaitBlockedBy(otherReplica, 1);
        otherReplica.commit();

        mine.get().then().statusCode(409).body("type", equalTo("https://charon.io/problems/idempotency-key-reused"));
    }

    @Test
    void retentionLeavesAFinishedJobThatANewDependentIsBeingSubmittedOn() throws Exception {
        String parent = scheduledJob("old-parent");
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement finish = connection.prepareStatement("UPDATE jobs SET status = 'completed',"
                     + " completed_at = now() - interval '30 days' WHERE id = ?")) {
            finish.setString(1, parent);
            finish.executeUpdate();
        }
        // a submission depending on it, stopped at its idempotency key before it commits
        String key = UUID.randomUUID().toString();
        Connection keyHolder = holdKey(key);
        Map<String, Object> dependent = Api.job("late-dependent", "hello.yml");
        dependent.put("dependsOn", List.of(parent));
        dependent.put("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString());
        CompletableFuture<Response> submission = async(() -> given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key).body(dependent).post("/api/v1/jobs"));
        awaitBlockedBy(keyHolder, 1);

        CompletableFuture<Retention.Deleted> deleted = async(() ->
                retention.deleteFinishedBefore(Instant.now().minus(Duration.ofDays(20)), 1000));
        // retention either passes the parent by, or waits for the submission
        await().atMost(WAIT).until(() -> deleted.isDone() || blockedBy(keyHolder) >= 2);
        keyHolder.rollback();

        submission.get().then().statusCode(201);
        deleted.get();
        assertThat(count("SELECT COUNT(*) FROM jobs WHERE id = ?", parent)).as("the parent, depended on").isEqualTo(1);
    }

    /**
     * An outcome batch locks its jobs in id order, while a cancel locks its job and then the jobs
     * waiting on it: here the batch holds the lowest job and waits for the highest, which the
     * cancel holds while it waits for the lowest. The database breaks the deadlock by rolling one
     * back; that one runs again, and neither caller hears of it.
     */
    @Test
    void anOutcomeBatchAndACancelLockingInOppositeOrdersBothSucceed() throws Exception {
        List<String> ids = new ArrayList<>(List.of(scheduledJob("one"), scheduledJob("two"), scheduledJob("three")));
        ids.sort(null);
        String low = ids.get(0);
        String middle = ids.get(1);
        String high = ids.get(2);
        try (Connection link = store.dataSource().getConnection();
             PreparedStatement insert = link.prepareStatement(
                     "INSERT INTO job_dependencies (job_id, depends_on_id) VALUES (?, ?)")) {
            insert.setString(1, low);
            insert.setString(2, high);
            insert.executeUpdate();
        }
        long middleToken = runElsewhere(middle);
        long highToken = runElsewhere(high);
        String blocker = scheduledJob("blocker");
        long blockerToken = runElsewhere(blocker);

        // the outcome writer is held in a batch of its own while the three outcomes queue up
        Connection blockerHolder = holdRows(blocker);
        Connection middleHolder = holdRows(middle);
        CompletableFuture<Optional<JobStatus>> first = recorder.finishRunLater(blocker, blockerToken, succeeded());
        awaitBlockedBy(blockerHolder, 1);
        CompletableFuture<Optional<JobStatus>> stale = recorder.finishRunLater(low, 1, succeeded());
        CompletableFuture<Optional<JobStatus>> done = recorder.finishRunLater(middle, middleToken, succeeded());
        CompletableFuture<Optional<JobStatus>> staleToo = recorder.finishRunLater(high, highToken + 1, succeeded());
        blockerHolder.commit();
        assertThat(first.get()).contains(JobStatus.COMPLETED);
        // the batch holds the lowest and waits for the middle
        awaitBlockedBy(middleHolder, 1);
        CompletableFuture<Boolean> cancel = async(() -> canceller.cancel(high, "racer", job -> "tail") != null);
        // the cancel holds the highest and waits for the lowest, behind the batch
        awaitBlockedBy(middleHolder, 2);
        middleHolder.commit();

        assertThat(cancel.get()).isTrue();
        assertThat(stale.get()).isEmpty();
        assertThat(done.get()).contains(JobStatus.COMPLETED);
        assertThat(staleToo.get()).isEmpty();
        assertThat(Api.status(high)).isEqualTo("cancelled");
        assertThat(Api.status(low)).isEqualTo("failed");
        assertThat(Api.status(middle)).isEqualTo("completed");
    }

    private static Response keyed(String key, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/v1/jobs");
    }

    private static String scheduledJob(String name) {
        Map<String, Object> body = Api.job(name, "hello.yml");
        body.put("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString());
        return Api.submit(body);
    }

    /** Marks the job as running on another replica, as its claim there would: returns the run's token. */
    private long runElsewhere(String id) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement claim = connection.prepareStatement("UPDATE jobs SET status = 'running',"
                     + " lease_owner = 'replica-elsewhere', lease_token = lease_token + 1,"
                     + " lease_expires_at = now() + interval '1 hour', started_at = now() WHERE id = ? RETURNING lease_token")) {
            claim.setString(1, id);
            try (ResultSet row = claim.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static ExecutionOutcome succeeded() {
        return new ExecutionOutcome(ExecutionOutcome.Kind.SUCCEEDED, 0, null, "ok", null);
    }

    /** A connection in a transaction of its own, rolled back after the test unless it ended before. */
    /** Stores, uncommitted on {@code otherReplica}, {@code key} for the request and job {@code firstKey} holds. */
    private static void storeKeyOfSameRequest(Connection otherReplica, String key, String firstKey) throws SQLException {
        try (PreparedStatement insert = otherReplica.prepareStatement("INSERT INTO idempotency_keys"
                + " (user_id, key, request_hash, job_id, created_at)"
                + " SELECT user_id, ?, request_hash, job_id, now() FROM idempotency_keys WHERE key = ?")) {
            insert.setString(1, key);
            insert.setString(2, firstKey);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    private Connection holder() throws SQLException {
        Connection connection = store.dataSource().getConnection();
        connection.setAutoCommit(false);
        holders.add(connection);
        return connection;
    }

    /** A transaction storing {@code key} for a job of its own, not committed. */
    private Connection holdKey(String key) throws SQLException {
        String owner = scheduledJob("key-owner");
        Connection keyHolder = holder();
        try (PreparedStatement hold = keyHolder.prepareStatement("INSERT INTO idempotency_keys"
                + " (user_id, key, request_hash, job_id, created_at) SELECT user_id, ?, 'other', id, now() FROM jobs WHERE id = ?")) {
            hold.setString(1, key);
            hold.setString(2, owner);
            assertThat(hold.executeUpdate()).isEqualTo(1);
        }
        return keyHolder;
    }

    /** A transaction holding the jobs' rows as one that changes them does. */
    private Connection holdRows(String id) throws SQLException {
        Connection holder = holder();
        try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM jobs WHERE id = ? FOR UPDATE")) {
            lock.setString(1, id);
            lock.executeQuery().close();
        }
        return holder;
    }

    private void awaitBlockedBy(Connection holder, int count) {
        await().atMost(WAIT).until(() -> blockedBy(holder) >= count);
    }

    /** How many sessions wait, directly or behind another waiter, for a lock {@code holder}'s transaction holds. */
    private long blockedBy(Connection holder) throws SQLException {
        long pid;
        try (PreparedStatement own = holder.prepareStatement("SELECT pg_backend_pid()"); ResultSet row = own.executeQuery()) {
            row.next();
            pid = row.getLong(1);
        }
        return count("""
                WITH RECURSIVE blocked(pid) AS (
                    SELECT a.pid FROM pg_stat_activity a WHERE ?::int = ANY (pg_blocking_pids(a.pid))
                    UNION
                    SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY (pg_blocking_pids(a.pid)))
                SELECT COUNT(*) FROM blocked""", pid);
    }

    private long terminalEvents(String id) throws SQLException {
        return count("SELECT COUNT(*) FROM job_events WHERE job_id = ? AND type IN"
                + " ('job.completed', 'job.failed', 'job.cancelled', 'job.timeout')", id);
    }

    private long count(String sql, Object... params) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                select.setObject(i + 1, params[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private <T> CompletableFuture<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, threads);
    }
}
