package io.charon.jobs.workflow;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.MutableClock;
import io.charon.jobs.support.SettableClockProfile;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.charon.jobs.workflow.WorkflowCalls.approval;
import static io.charon.jobs.workflow.WorkflowCalls.audited;
import static io.charon.jobs.workflow.WorkflowCalls.awaitNode;
import static io.charon.jobs.workflow.WorkflowCalls.edge;
import static io.charon.jobs.workflow.WorkflowCalls.ended;
import static io.charon.jobs.workflow.WorkflowCalls.launch;
import static io.charon.jobs.workflow.WorkflowCalls.nodeStatuses;
import static io.charon.jobs.workflow.WorkflowCalls.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approval nobody decides is denied when its timeout passes, once, and its run takes the
 * failure branch; with a clock the test moves instead of waiting, and the sweep run by the test.
 */
@QuarkusTest
@TestProfile(SettableClockProfile.class)
class ApprovalTimeoutTest {

    private static final String SWEEP = "charon-approval-timeouts";

    @Inject
    MutableClock clock;

    @Inject
    Scheduler scheduler;

    @Inject
    ApprovalTimeouts timeouts;

    @BeforeEach
    void pauseTheSweep() {
        scheduler.pause(SWEEP);
    }

    @AfterEach
    void resumeTheSweep() {
        scheduler.resume(SWEEP);
    }

    @Test
    void anUndecidedApprovalIsDeniedOnceWhenItsTimeoutPasses() {
        WorkflowCalls calls = new WorkflowCalls();
        String approver = calls.prefix + "-carol";
        Api.token(approver, "operator");
        String workflow = calls.create(List.of(approval("review", List.of(approver), "PT4H"),
                        calls.node("ship", "ok"), calls.node("escalate", "ok")),
                List.of(edge("review", "ship", "success"), edge("review", "escalate", "failure")));
        String id = launch(workflow);
        JsonPath waiting = awaitNode(id, "review", "waiting");
        Instant until = Instant.parse(waiting.getString("nodes.find { it.id == 'review' }.waitingUntil"));
        Instant since = Instant.parse(waiting.getString("nodes.find { it.id == 'review' }.updatedAt"));
        assertThat(Duration.between(since, until)).isEqualTo(Duration.ofHours(4));

        clock.advance(Duration.ofHours(3));
        assertThat(timeouts.sweep()).as("before the timeout").isZero();
        assertThat(run(id).getString("nodes.find { it.id == 'review' }.status")).isEqualTo("waiting");

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        // two sweeps at once, as on two replicas: the run's row lock lets one deny it, the other finds it denied
        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(timeouts::sweep);
        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(timeouts::sweep);
        assertThat(one.join() + other.join()).as("a timeout fires once").isEqualTo(1);
        assertThat(timeouts.sweep()).isZero();

        JsonPath run = ended(id);
        assertThat(nodeStatuses(run)).containsExactlyInAnyOrderEntriesOf(Map.of("review", "failed", "ship", "skipped",
                "escalate", "completed"));
        assertThat(run.getString("status")).isEqualTo("completed");
        Map<String, Object> decision = run.getMap("nodes.find { it.id == 'review' }.decision");
        assertThat(decision).containsEntry("result", "denied").containsEntry("by", "system")
                .containsEntry("timedOut", true);
        assertThat((String) decision.get("comment")).contains("PT4H");
        assertThat(Instant.parse((String) decision.get("at"))).isAfterOrEqualTo(until);
        assertThat(run.getString("nodes.find { it.id == 'review' }.message")).contains("timed out");
        assertThat(audited("workflow.deny", id)).singleElement().satisfies(entry -> {
            assertThat(entry).containsEntry("principal", "system");
            assertThat((String) entry.get("detail")).contains("PT4H");
        });
    }
}
