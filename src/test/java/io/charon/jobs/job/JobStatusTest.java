package io.charon.jobs.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.charon.jobs.job.JobStatus.CANCELLED;
import static io.charon.jobs.job.JobStatus.COMPLETED;
import static io.charon.jobs.job.JobStatus.FAILED;
import static io.charon.jobs.job.JobStatus.QUEUED;
import static io.charon.jobs.job.JobStatus.RUNNING;
import static io.charon.jobs.job.JobStatus.SCHEDULED;
import static io.charon.jobs.job.JobStatus.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state machine of docs/architecture.md, pair by pair: a changed rule fails here. */
class JobStatusTest {

    /** Every allowed change; any pair not listed must be refused. */
    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            // failed: a dependency ended failed, cancelled or timeout
            SCHEDULED, EnumSet.of(QUEUED, CANCELLED, FAILED),
            QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
            // queued: a retry, a rescued orphan, a run handed back at shutdown
            RUNNING, EnumSet.of(COMPLETED, FAILED, TIMEOUT, CANCELLED, QUEUED),
            COMPLETED, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class),
            TIMEOUT, EnumSet.noneOf(JobStatus.class));

    static Stream<Arguments> everyPair() {
        return Arrays.stream(JobStatus.values()).flatMap(from -> Arrays.stream(JobStatus.values())
                .map(to -> Arguments.of(from, to, ALLOWED.get(from).contains(to))));
    }

    @Test
    void theExpectedTableCoversEveryStatus() {
        assertThat(ALLOWED.keySet()).containsExactlyInAnyOrder(JobStatus.values());
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("everyPair")
    void canTransitionToFollowsTheTable(JobStatus from, JobStatus to, boolean allowed) {
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("everyPair")
    void checkTransitionToThrowsExactlyForTheRefusedPairs(JobStatus from, JobStatus to, boolean allowed) {
        if (allowed) {
            assertThatCode(() -> from.checkTransitionTo(to)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> from.checkTransitionTo(to))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.from()).isEqualTo(from);
                        assertThat(e.to()).isEqualTo(to);
                        assertThat(e).hasMessage("a " + from.wireName() + " job cannot become " + to.wireName());
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void noStatusChangesIntoItself(JobStatus status) {
        assertThat(status.canTransitionTo(status)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void terminalStatusesAreExactlyTheOnesWithNoWayOut(JobStatus status) {
        boolean terminal = EnumSet.of(COMPLETED, FAILED, CANCELLED, TIMEOUT).contains(status);
        assertThat(status.isTerminal()).isEqualTo(terminal);
        assertThat(JobStatus.TERMINAL.contains(status)).isEqualTo(terminal);
        assertThat(Arrays.stream(JobStatus.values()).noneMatch(status::canTransitionTo)).isEqualTo(terminal);
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void nothingLeadsBackToScheduled(JobStatus from) {
        assertThat(from.canTransitionTo(SCHEDULED)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void wireNamesAreLowerCaseAndReadBack(JobStatus status) {
        assertThat(status.wireName()).isEqualTo(status.name().toLowerCase());
        assertThat(JobStatus.fromWireName(status.wireName())).contains(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "QUEUED", "Queued", " queued", "queued ", "done",
            "pending"})
    void unknownOrDifferentlyWrittenNamesAreNotStatuses(String text) {
        assertThat(JobStatus.fromWireName(text)).isEmpty();
    }

    @Test
    void nullIsNotAStatus() {
        assertThat(JobStatus.fromWireName(null)).isEmpty();
    }
}
