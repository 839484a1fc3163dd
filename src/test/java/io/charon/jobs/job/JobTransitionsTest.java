package io.charon.jobs.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.charon.jobs.job.JobStatus.CANCELLED;
import static io.charon.jobs.job.JobStatus.COMPLETED;
import static io.charon.jobs.job.JobStatus.FAILED;
import static io.charon.jobs.job.JobStatus.QUEUED;
import static io.charon.jobs.job.JobStatus.RUNNING;
import static io.charon.jobs.job.JobStatus.SCHEDULED;
import static io.charon.jobs.job.JobStatus.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The named transitions of {@link Job}, on jobs built in memory: the event each returns, and refusals. */
class JobTransitionsTest {

    private static final Instant CREATED = Instant.parse("2030-01-01T10:00:00Z");
    private static final Instant LATER = CREATED.plusSeconds(60);
    private static final Instant NOW = CREATED.plusSeconds(120);
    private static final Path LOGS = Path.of("/var/log/charon");

    private static Job job(JobStatus status) {
        JobStatus startFrom = status == SCHEDULED ? SCHEDULED : QUEUED;
        Job job = Job.create("00000000-0000-4000-8000-000000000001", spec(startFrom == SCHEDULED ? LATER : null, 2),
                "alice", CREATED);
        assertThat(job.getStatus()).isEqualTo(startFrom);
        switch (status) {
            case SCHEDULED, QUEUED -> {
            }
            case RUNNING -> job.start("node-a", CREATED.plusSeconds(30), LOGS, CREATED.plusSeconds(1));
            case COMPLETED, FAILED, TIMEOUT -> {
                job.start("node-a", CREATED.plusSeconds(30), LOGS, CREATED.plusSeconds(1));
                job.finish(RunResult.of(status, 0, null, null, null), CREATED.plusSeconds(2));
            }
            case CANCELLED -> job.endWithoutRunning(CANCELLED, "cancelled by alice", CREATED.plusSeconds(1));
        }
        assertThat(job.getStatus()).isEqualTo(status);
        return job;
    }

    private static JobSpec spec(Instant scheduledAt, int maxRetries) {
        return spec(scheduledAt, maxRetries, null);
    }

    private static JobSpec spec(Instant scheduledAt, int maxRetries, Duration startDeadline) {
        return new JobSpec("deploy", JobType.ANSIBLE, Priority.HIGH, "site.yml", List.of("web1"), Map.of(), List.of(),
                null, scheduledAt, Duration.ofMinutes(30), List.of(), maxRetries, Duration.ofSeconds(10), null,
                null, null, null, List.of(), null, null, null, null, startDeadline, null, null, null, null);
    }

    /** A named transition and the status it leads to. */
    private record Move(String name, JobStatus target, Function<Job, JobEvent> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Move PROMOTE = new Move("promote", QUEUED, job -> job.promote(NOW));
    private static final Move START = new Move("start", RUNNING, job -> job.start("node-b", NOW.plusSeconds(30), LOGS, NOW));
    private static final Move REQUEUE_RETRY = new Move("requeue as a retry", QUEUED,
            job -> job.requeue(Requeue.retry(FAILED, NOW.plusSeconds(10), "exit 2", 2, "tail", null), NOW).event());
    private static final Move REQUEUE_HAND_BACK = new Move("requeue handed back", QUEUED,
            job -> job.requeue(Requeue.handBack("shutdown", null, null), NOW).event());

    private static Move finish(JobStatus outcome) {
        return new Move("finish " + outcome.wireName(), outcome,
                job -> job.finish(RunResult.of(outcome, 1, null, "tail", null), NOW).event());
    }

    private static final Move MISS_START_DEADLINE = new Move("missStartDeadline", CANCELLED,
            job -> job.missStartDeadline(NOW));

    private static Move endWithoutRunning(JobStatus outcome) {
        return new Move("endWithoutRunning " + outcome.wireName(), outcome,
                job -> job.endWithoutRunning(outcome, "reason", NOW));
    }

    /**
     * For each named transition, the statuses it applies to, the status it leads to and the event
     * it reports. Every other status must refuse it, including those the status table allows but
     * the method does not apply to: promoting a running job, finishing or requeueing a run of a
     * job that never started, ending a running job as if it had never run.
     */
    static Stream<Arguments> everyTransitionFromEveryStatus() {
        Map<Move, Map<JobStatus, JobEventType>> table = new LinkedHashMap<>();
        table.put(PROMOTE, Map.of(SCHEDULED, JobEventType.QUEUED));
        table.put(START, Map.of(QUEUED, JobEventType.STARTED));
        table.put(finish(COMPLETED), Map.of(RUNNING, JobEventType.COMPLETED));
        table.put(finish(FAILED), Map.of(RUNNING, JobEventType.FAILED));
        table.put(finish(TIMEOUT), Map.of(RUNNING, JobEventType.TIMEOUT));
        table.put(finish(CANCELLED), Map.of(RUNNING, JobEventType.CANCELLED));
        table.put(REQUEUE_RETRY, Map.of(RUNNING, JobEventType.RETRIED));
        table.put(REQUEUE_HAND_BACK, Map.of(RUNNING, JobEventType.QUEUED));
        table.put(endWithoutRunning(CANCELLED), Map.of(SCHEDULED, JobEventType.CANCELLED, QUEUED, JobEventType.CANCELLED));
        table.put(endWithoutRunning(FAILED), Map.of(SCHEDULED, JobEventType.FAILED, QUEUED, JobEventType.FAILED));
        table.put(MISS_START_DEADLINE, Map.of(SCHEDULED, JobEventType.CANCELLED, QUEUED, JobEventType.CANCELLED));
        List<Arguments> cases = new ArrayList<>();
        table.forEach((move, allowed) -> {
            for (JobStatus from : JobStatus.values()) {
                cases.add(Arguments.of(move, from, allowed.get(from)));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @MethodSource("everyTransitionFromEveryStatus")
    void eachTransitionReportsItsEventOrChangesNothing(Move move, JobStatus from, JobEventType expected) {
        Job job = job(from);
        Map<String, Object> before = fields(job);
        if (expected == null) {
            assertThatThrownBy(() -> move.apply().apply(job))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertThat(e.from()).isEqualTo(from));
            assertThat(fields(job)).isEqualTo(before);
        } else {
            long seq = (long) before.get("eventSeq");
            JobEvent event = move.apply().apply(job);
            assertThat(job.getStatus()).isEqualTo(move.target());
            assertThat(event.getType()).isEqualTo(expected.wireName());
            assertThat(event.getStatus()).isEqualTo(job.getStatus().wireName());
            assertThat(event.getJobId()).isEqualTo(job.getId());
            assertThat(event.getSeq()).isEqualTo(seq + 1);
            assertThat(event.getCreatedAt()).isEqualTo(NOW);
        }
    }

    @Test
    void aJobWhoseTimeLiesAheadIsScheduledAndPromotionQueuesIt() {
        Job job = job(SCHEDULED);
        assertThat(job.getStartAfter()).isEqualTo(LATER);
        assertThat(job.announceInitialStatus(CREATED).getType()).isEqualTo(JobEventType.SCHEDULED.wireName());
        job.promote(NOW);
        assertThat(job.getStatus()).isEqualTo(QUEUED);
    }

    @Test
    void aJobScheduledForNowOrEarlierIsQueuedAtOnce() {
        Job job = Job.create("00000000-0000-4000-8000-000000000002", spec(CREATED, 0), "alice", CREATED);
        assertThat(job.getStatus()).isEqualTo(QUEUED);
        assertThat(job.getStartAfter()).isNull();
        assertThat(job.announceInitialStatus(CREATED).getType()).isEqualTo(JobEventType.QUEUED.wireName());
    }

    @Test
    void everyStartTakesANewFencingTokenAndALogOfItsOwn() {
        Job job = job(QUEUED);
        job.start("node-a", NOW.plusSeconds(30), LOGS, NOW);
        assertThat(job.getLeaseToken()).isEqualTo(1);
        assertThat(job.getLeaseOwner()).isEqualTo("node-a");
        assertThat(job.getLeaseExpiresAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(job.getStartedAt()).isEqualTo(NOW);
        assertThat(job.isHeldBy(1)).isTrue();
        String firstLog = job.getLogPath();

        job.requeue(Requeue.retry(FAILED, NOW.plusSeconds(10), "exit 2", 2, null, null), NOW.plusSeconds(5));
        assertThat(job.isHeldBy(1)).isFalse();
        job.start("node-b", NOW.plusSeconds(60), LOGS, NOW.plusSeconds(20));
        assertThat(job.getLeaseToken()).isEqualTo(2);
        assertThat(job.isHeldBy(1)).isFalse();
        assertThat(job.isHeldBy(2)).isTrue();
        assertThat(job.getLogPath()).isNotEqualTo(firstLog).startsWith(LOGS.toString());
        assertThat(job.getExitCode()).isNull();
        assertThat(job.getErrorMessage()).isNull();
    }

    @Test
    void finishClosesTheRunWithItsAttemptRecord() {
        Job job = job(RUNNING);
        Job.RunEnd end = job.finish(RunResult.of(FAILED, 3, "exit 3", "tail", null), NOW);
        JobAttempt attempt = end.attempt();
        assertThat(attempt.getJobId()).isEqualTo(job.getId());
        assertThat(attempt.getNumber()).isEqualTo(1);
        assertThat(attempt.getOwner()).isEqualTo("node-a");
        assertThat(attempt.getOutcome()).isEqualTo("failed");
        assertThat(attempt.getExitCode()).isEqualTo(3);
        assertThat(attempt.getEndedAt()).isEqualTo(NOW);
        assertThat(end.event().getMessage()).isEqualTo("exit 3");
        assertThat(job.getLeaseOwner()).isNull();
        assertThat(job.getLeaseExpiresAt()).isNull();
        assertThat(job.getCompletedAt()).isEqualTo(NOW);
        assertThat(job.getDuration()).isEqualTo(Duration.between(job.getStartedAt(), NOW));
        assertThat(job.isHeldBy(1)).isFalse();
    }

    @Test
    void onlyARetryUsesUpARetry() {
        Job job = job(RUNNING);
        assertThat(job.hasRetriesLeft()).isTrue();
        job.requeue(Requeue.handBack("shutdown", null, null), NOW);
        assertThat(job.getRetryCount()).isZero();
        assertThat(job.getStartAfter()).isNull();

        job.start("node-a", NOW.plusSeconds(30), LOGS, NOW);
        Job.RunEnd first = job.requeue(Requeue.retry(FAILED, NOW.plusSeconds(10), "exit 2", 2, null, null), NOW);
        assertThat(job.getRetryCount()).isEqualTo(1);
        assertThat(job.getStartAfter()).isEqualTo(NOW.plusSeconds(10));
        assertThat(first.attempt().getNumber()).isEqualTo(2);
        assertThat(first.event().getData()).contains("\"retry\":1").contains("\"attempt\":3");

        job.start("node-a", NOW.plusSeconds(30), LOGS, NOW);
        job.requeue(Requeue.retry(FAILED, NOW.plusSeconds(10), "exit 2", 2, null, null), NOW);
        assertThat(job.getRetryCount()).isEqualTo(2);
        assertThat(job.hasRetriesLeft()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SCHEDULED", "QUEUED"})
    void aJobEndedWithoutRunningKeepsTheReasonOnlyWhenItFailed(JobStatus from) {
        Job failed = job(from);
        failed.endWithoutRunning(FAILED, "dependency failed", NOW);
        assertThat(failed.getErrorMessage()).isEqualTo("dependency failed");
        assertThat(failed.getCompletedAt()).isEqualTo(NOW);
        assertThat(failed.getStartAfter()).isNull();

        Job cancelled = job(from);
        cancelled.endWithoutRunning(CANCELLED, "cancelled by alice", NOW);
        assertThat(cancelled.getErrorMessage()).isNull();
        assertThat(cancelled.getCompletedAt()).isEqualTo(NOW);
    }

    @Test
    void aStartDeadlineCountsFromTheTimeTheJobFallsDueAndHoldsUntilItsFirstStart() {
        Duration tenMinutes = Duration.ofMinutes(10);
        Job queued = Job.create("00000000-0000-4000-8000-000000000003", spec(null, 2, tenMinutes), "alice", CREATED);
        assertThat(queued.getStartDeadlineAt()).isEqualTo(CREATED.plus(tenMinutes));
        Job scheduled = Job.create("00000000-0000-4000-8000-000000000004", spec(LATER, 0, tenMinutes), "alice", CREATED);
        assertThat(scheduled.getStartDeadlineAt()).isEqualTo(LATER.plus(tenMinutes));
        // a time already past queues the job at once: it falls due when it is created
        Job late = Job.create("00000000-0000-4000-8000-000000000005", spec(CREATED.minusSeconds(3600), 0, tenMinutes),
                "alice", CREATED);
        assertThat(late.getStartDeadlineAt()).isEqualTo(CREATED.plus(tenMinutes));
        assertThat(job(QUEUED).getStartDeadlineAt()).isNull();

        queued.start("node-a", NOW.plusSeconds(30), LOGS, NOW);
        assertThat(queued.getStartDeadlineAt()).isNull();
        // a retry after the deadline is no late start: the job started in time
        queued.requeue(Requeue.retry(FAILED, CREATED.plus(tenMinutes).plusSeconds(1), "exit 2", 2, null, null), NOW);
        assertThat(queued.getStartDeadlineAt()).isNull();

        scheduled.endWithoutRunning(CANCELLED, "cancelled by alice", NOW);
        assertThat(scheduled.getStartDeadlineAt()).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SCHEDULED", "QUEUED"})
    void aJobPastItsStartDeadlineEndsCancelledSayingWhy(JobStatus from) {
        Job job = Job.create("00000000-0000-4000-8000-000000000006",
                spec(from == SCHEDULED ? LATER : null, 0, Duration.ofSeconds(30)), "alice", CREATED);
        assertThat(job.getStatus()).isEqualTo(from);
        Instant deadline = job.getStartDeadlineAt();

        JobEvent event = job.missStartDeadline(NOW);

        assertThat(job.getStatus()).isEqualTo(CANCELLED);
        assertThat(job.getErrorMessage()).isEqualTo("start deadline passed");
        assertThat(job.getCompletedAt()).isEqualTo(NOW);
        assertThat(job.getStartDeadlineAt()).isNull();
        assertThat(event.getType()).isEqualTo(JobEventType.CANCELLED.wireName());
        assertThat(event.getMessage()).isEqualTo("start deadline passed");
        assertThat(event.getData()).contains("\"reason\":\"start deadline passed\"")
                .contains("\"startDeadline\":\"PT30S\"").contains("\"deadline\":\"" + deadline + "\"");
    }

    @Test
    void eventsOfOneJobAreNumberedOneByOne() {
        Job job = job(QUEUED);
        List<Long> seqs = new ArrayList<>();
        seqs.add(job.announceInitialStatus(CREATED).getSeq());
        seqs.add(job.record(JobEventType.PROGRESS, "note", null, CREATED).getSeq());
        seqs.add(job.start("node-a", NOW, LOGS, NOW).getSeq());
        seqs.add(job.finish(RunResult.of(COMPLETED, 0, null, null, null), NOW).event().getSeq());
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L);
    }

    /** Every instance field, by name: a refused transition must leave all of them as they were. */
    private static Map<String, Object> fields(Job job) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : Job.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            try {
                values.put(field.getName(), field.get(job));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(values).containsKeys("status", "eventSeq", "leaseToken", "retryCount");
        return values;
    }
}
