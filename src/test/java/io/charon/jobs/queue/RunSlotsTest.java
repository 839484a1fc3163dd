package io.charon.jobs.queue;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.dispatch.Dispatcher;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.lifecycle.Canceller;
import io.charon.jobs.lifecycle.RunRecorder;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster-wide cap on PostgreSQL: claims take run slots, never more than the cap however
 * many claim at once, and pass over what other transactions hold instead of waiting for it;
 * every way out of running gives the slot back. The dispatcher does not claim here: the test's
 * claimers stand in for the dispatchers of many replicas.
 */
@QuarkusTest
@Tag("postgresql-only")
@TestProfile(RunSlotsTest.CapOfThree.class)
class RunSlotsTest {

    private static final int CAP = 3;
    private static final int CLAIMERS = 8;

    public static class CapOfThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("charon.jobs.worker-count", "4", "charon.jobs.max-concurrent-jobs", String.valueOf(CAP));
        }
    }

    @Inject
    JobQueue queue;
    @Inject
    Dispatcher dispatcher;
    @Inject
    RunRecorder recorder;
    @Inject
    Canceller canceller;
    @Inject
    Store store;

    @BeforeEach
    void onlyTheTestClaims() throws SQLException {
        dispatcher.stopClaiming();
        assertThat(running()).isZero();
    }

    @Test
    void concurrentClaimersNeverExceedTheCapAndEveryWayOutOfRunningFreesTheSlot() throws Exception {
        for (int i = 0; i < 40; i++) {
            Api.submit(Api.with(Api.job("slotted-" + i, "hello.yml"), "maxRetries", 1));
        }
        Map<String, Consumer<ClaimedJob>> waysOut = new java.util.LinkedHashMap<>();
        waysOut.put("outcome", run -> recorder.finishRunLater(run.id(), run.token(), outcome(ExecutionOutcome.Kind.SUCCEEDED)).join());
        waysOut.put("retry requeue", run -> recorder.finishRunLater(run.id(), run.token(), outcome(ExecutionOutcome.Kind.FAILED)).join());
        waysOut.put("hand-back", run -> recorder.finishRunLater(run.id(), run.token(), outcome(ExecutionOutcome.Kind.INTERRUPTED)).join());
        waysOut.put("cancel", run -> canceller.cancel(run.id(), "tester", job -> ""));
        waysOut.put("orphan rescue", run -> recorder.rescueOrphan(run.id(), run.token(), JobsConfig.OrphanPolicy.REQUEUE, true));
        waysOut.put("orphan failed", run -> recorder.rescueOrphan(run.id(), run.token(), JobsConfig.OrphanPolicy.FAIL, true));

        for (Map.Entry<String, Consumer<ClaimedJob>> wayOut : waysOut.entrySet()) {
            List<ClaimedJob> claimed = claimAllAtOnce();
            assertThat(claimed).as("claimed before ending by %s", wayOut.getKey()).hasSize(CAP);
            assertThat(running()).isEqualTo(CAP);
            assertThat(seated().values()).containsExactlyInAnyOrderElementsOf(claimed.stream().map(ClaimedJob::id).toList());
            assertThat(seated().keySet()).allMatch(slot -> slot <= CAP);
            // full: nobody gets more
            assertThat(claimAllAtOnce()).isEmpty();

            claimed.forEach(wayOut.getValue());
            assertThat(running()).as("running after %s", wayOut.getKey()).isZero();
            assertThat(seated()).as("slots held after %s", wayOut.getKey()).isEmpty();
        }
    }

    @Test
    void aClaimPassesOverWhatAnotherTransactionHoldsWithoutWaiting() throws Exception {
        for (int i = 0; i < 4; i++) {
            Api.submit(Api.job("passed-over-" + i, "hello.yml"));
        }
        List<ClaimedJob> first = queue.claim(2, "claimer-a");
        assertThat(first).hasSize(2);
        List<ClaimedJob> second;
        try (Connection other = store.dataSource().getConnection()) {
            other.setAutoCommit(false);
            String held;
            try (Statement statement = other.createStatement()) {
                // an outcome under way: the job leaves running, its slot is being given back
                statement.executeUpdate("UPDATE jobs SET status = 'completed' WHERE id = '" + first.get(0).id() + "'");
                // and the next job in claim order locked, as another replica's claim would
                held = single(other, """
                        SELECT id FROM jobs WHERE status = 'queued' AND (start_after IS NULL OR start_after <= now())
                        ORDER BY priority DESC, created_at, id
                        LIMIT 1 FOR UPDATE""");
            }
            second = CompletableFuture.supplyAsync(() -> queue.claim(CAP, "claimer-b")).get(30, TimeUnit.SECONDS);
            // the one slot free for sure; the one being given back is not free until that commits
            assertThat(second).hasSize(1).noneMatch(job -> job.id().equals(held));
            other.commit();
        }
        List<ClaimedJob> third = queue.claim(CAP, "claimer-c");
        assertThat(third).hasSize(1);
        assertThat(running()).isEqualTo(CAP);

        List<ClaimedJob> all = new ArrayList<>(second);
        all.addAll(third);
        all.add(first.get(1));
        all.forEach(run -> recorder.finishRunLater(run.id(), run.token(), outcome(ExecutionOutcome.Kind.SUCCEEDED)).join());
        assertThat(seated()).isEmpty();
    }

    /** Every claimer claims at the same moment, as many replicas' dispatchers woken by one notice. */
    private List<ClaimedJob> claimAllAtOnce() throws Exception {
        ExecutorService claimers = Executors.newFixedThreadPool(CLAIMERS);
        try {
            CyclicBarrier together = new CyclicBarrier(CLAIMERS);
            List<Future<List<ClaimedJob>>> claims = new ArrayList<>();
            for (int i = 0; i < CLAIMERS; i++) {
                String owner = "claimer-" + i;
                claims.add(claimers.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return queue.claim(2, owner);
                }));
            }
            List<ClaimedJob> claimed = new ArrayList<>();
            for (Future<List<ClaimedJob>> claim : claims) {
                claimed.addAll(claim.get(60, TimeUnit.SECONDS));
            }
            return claimed;
        } finally {
            claimers.shutdownNow();
        }
    }

    private static ExecutionOutcome outcome(ExecutionOutcome.Kind kind) {
        return new ExecutionOutcome(kind, kind == ExecutionOutcome.Kind.SUCCEEDED ? 0 : 1,
                kind == ExecutionOutcome.Kind.SUCCEEDED ? null : "ended " + kind, "", null);
    }

    private long running() throws SQLException {
        long[] count = {0};
        StoreReads.forEachRow(store.dataSource(), "SELECT COUNT(*) FROM jobs WHERE status = 'running'", List.of(),
                row -> count[0] = row.getLong(1));
        return count[0];
    }

    /** Job by slot, of the slots held. */
    private Map<Integer, String> seated() throws SQLException {
        Map<Integer, String> seated = new HashMap<>();
        StoreReads.forEachRow(store.dataSource(), "SELECT slot, job_id FROM run_slots WHERE job_id IS NOT NULL", List.of(),
                row -> seated.put(row.getInt(1), row.getString(2)));
        return seated;
    }

    private static String single(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); var rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
