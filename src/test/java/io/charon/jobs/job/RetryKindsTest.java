package io.charon.jobs.job;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.charon.jobs.job.JobStatus.FAILED;
import static io.charon.jobs.job.JobStatus.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Which failed runs a job retries ({@link RetryOn}) and on which hosts ({@link RetryScope}), on jobs in memory. */
class RetryKindsTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    private static final HostStats OK = new HostStats(2, 0, 0, 1, 0, 0, 0);
    private static final HostStats FAILING = new HostStats(1, 0, 1, 0, 0, 0, 0);
    private static final HostStats UNREACHABLE = new HostStats(0, 0, 0, 0, 1, 0, 0);
    private static final HostStats RESCUED = new HostStats(2, 0, 0, 0, 0, 1, 1);

    @Test
    void aRunIsOfEveryKindThatAppliesToIt() {
        assertThat(RetryOn.kindsOf(TIMEOUT, stats("a", FAILING))).containsExactly(RetryOn.TIMEOUT);
        assertThat(RetryOn.kindsOf(FAILED, stats("a", OK, "b", FAILING))).containsExactly(RetryOn.FAILED);
        assertThat(RetryOn.kindsOf(FAILED, stats("a", UNREACHABLE))).containsExactly(RetryOn.UNREACHABLE);
        assertThat(RetryOn.kindsOf(FAILED, stats("a", FAILING, "b", UNREACHABLE)))
                .containsExactlyInAnyOrder(RetryOn.FAILED, RetryOn.UNREACHABLE);
        // failed without any host failing: no recap at all, or one where every host did its part
        assertThat(RetryOn.kindsOf(FAILED, null)).containsExactly(RetryOn.FAILED);
        assertThat(RetryOn.kindsOf(FAILED, stats("a", RESCUED))).containsExactly(RetryOn.FAILED);
    }

    @Test
    void aRunIsRetriedWhenOneOfItsKindsIsListedAndRetriesAreLeft() {
        SortedMap<String, HostStats> both = stats("a", FAILING, "b", UNREACHABLE);
        assertThat(running(RetryScope.ALL, Set.of(RetryOn.UNREACHABLE), 1).retriesAfter(FAILED, both)).isTrue();
        assertThat(running(RetryScope.ALL, Set.of(RetryOn.FAILED), 1).retriesAfter(FAILED, both)).isTrue();
        assertThat(running(RetryScope.ALL, Set.of(RetryOn.TIMEOUT), 1).retriesAfter(FAILED, both)).isFalse();
        assertThat(running(RetryScope.ALL, Set.of(RetryOn.UNREACHABLE), 1).retriesAfter(FAILED, null)).isFalse();
        assertThat(running(RetryScope.ALL, Set.of(RetryOn.FAILED), 1).retriesAfter(TIMEOUT, null)).isFalse();
        assertThat(running(RetryScope.ALL, null, 1).retriesAfter(TIMEOUT, null)).as("the default").isTrue();
        assertThat(running(RetryScope.ALL, null, 0).retriesAfter(FAILED, null)).as("no retries").isFalse();
    }

    @Test
    void aFailedHostsRetryCoversTheHostsThatFailedAndTheJobMergesTheAttempts() {
        Job job = running(RetryScope.FAILED_HOSTS, null, 3);
        job.requeue(retry(stats("a", OK, "b", FAILING, "c", UNREACHABLE)), NOW);
        assertThat(job.getRetryHosts()).containsExactly("b", "c");
        assertThat(job.getHostStats()).containsOnlyKeys("a", "b", "c");

        job.start("node", NOW.plusSeconds(30), Path.of("/logs"), NOW);
        job.requeue(retry(stats("b", OK, "c", UNREACHABLE)), NOW);
        assertThat(job.getRetryHosts()).containsExactly("c");
        assertThat(job.getHostStats()).isEqualTo(stats("a", OK, "b", OK, "c", UNREACHABLE));

        // a rescued orphan runs again on the hosts it had, and reported nothing
        job.start("node", NOW.plusSeconds(30), Path.of("/logs"), NOW);
        job.requeue(Requeue.orphan(NOW, "orphaned"), NOW);
        assertThat(job.getRetryHosts()).containsExactly("c");

        // an attempt without per-host results: the next one covers all hosts
        job.start("node", NOW.plusSeconds(30), Path.of("/logs"), NOW);
        job.requeue(retry(null), NOW);
        assertThat(job.getRetryHosts()).isEmpty();
        assertThat(job.getHostStats()).isEqualTo(stats("a", OK, "b", OK, "c", UNREACHABLE));

        job.start("node", NOW.plusSeconds(30), Path.of("/logs"), NOW);
        job.finish(RunResult.of(JobStatus.COMPLETED, 0, null, null, stats("a", OK, "b", OK, "c", OK)), NOW);
        assertThat(job.getHostStats()).isEqualTo(stats("a", OK, "b", OK, "c", OK));
        assertThat(job.getRetryHosts()).isEmpty();
    }

    @Test
    void underTheAllScopeEveryRetryCoversAllHostsAndTheJobShowsTheLastAttempt() {
        Job job = running(RetryScope.ALL, null, 3);
        job.requeue(retry(stats("a", OK, "b", FAILING)), NOW);
        assertThat(job.getRetryHosts()).isEmpty();

        job.start("node", NOW.plusSeconds(30), Path.of("/logs"), NOW);
        job.finish(RunResult.of(FAILED, 2, "failed", null, stats("b", FAILING)), NOW);
        assertThat(job.getHostStats()).isEqualTo(stats("b", FAILING));
    }

    private static Requeue retry(SortedMap<String, HostStats> hostStats) {
        return Requeue.retry(FAILED, NOW.plusSeconds(10), "exit 2", 2, null, hostStats);
    }

    private static Job running(RetryScope scope, Set<RetryOn> retryOn, int maxRetries) {
        JobSpec spec = new JobSpec("deploy", JobType.ANSIBLE, Priority.NORMAL, "site.yml", List.of("a", "b", "c"),
                Map.of(), List.of(), null, null, Duration.ofMinutes(30), List.of(), maxRetries, Duration.ofSeconds(10),
                null, null, null, null, List.of(), null, null, scope, retryOn, null, null, null, null, null);
        Job job = Job.create("00000000-0000-4000-8000-000000000002", spec, "alice", NOW);
        job.start("node", NOW.plusSeconds(30), Path.of("/logs"), NOW);
        return job;
    }

    private static SortedMap<String, HostStats> stats(Object... hostsAndStats) {
        SortedMap<String, HostStats> stats = new TreeMap<>();
        for (int i = 0; i < hostsAndStats.length; i += 2) {
            stats.put((String) hostsAndStats[i], (HostStats) hostsAndStats[i + 1]);
        }
        return stats;
    }
}
