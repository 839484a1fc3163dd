package io.charon.jobs.dispatch;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.lifecycle.RunRecorder;
import io.charon.jobs.queue.ClaimedJob;
import io.charon.jobs.queue.JobQueue;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.MutableClock;
import io.charon.jobs.support.SettableClockProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs owned by an instance that went silent: their lease lapses and the rescuer settles them by
 * the policy. The "other instance" is a claim made under another owner's name that no worker runs.
 */
@QuarkusTest
@TestProfile(SettableClockProfile.class)
class OrphanRescueTest {

    @Inject
    MutableClock clock;

    @Inject
    JobQueue queue;

    @Inject
    RunRecorder jobs;

    @Inject
    OrphanRescuer rescuer;

    @Test
    void aRunWhoseLeaseLapsedIsRequeuedAsANewAttemptAndRunsHere() {
        String id = claimedByAGhost("lapsed", 1);

        assertThat(rescuer.rescue(false)).as("the lease has not lapsed yet").isZero();
        clock.advance(Duration.ofSeconds(31));
        assertThat(rescuer.rescue(false)).isEqualTo(1);

        JsonPath job = Api.awaitTerminal(id);
        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getInt("retryCount")).isEqualTo(1);
        assertThat(job.getList("attempts.outcome")).containsExactly("orphaned", "completed");
        assertThat(job.getString("attempts[0].owner")).isEqualTo("ghost-instance");
    }

    @Test
    void theFailPolicyEndsAnOrphanAtOnceAndItsDependentsWithIt() {
        String id = claimedByAGhost("orphan-to-fail", 3);
        Map<String, Object> child = Api.job("child-of-orphan", "hello.yml");
        child.put("dependsOn", List.of(id));
        String dependent = Api.submit(child);
        long token = Api.get(id).getLong("attempts.size()") + 1;
        clock.advance(Duration.ofSeconds(31));

        assertThat(jobs.rescueOrphan(id, token, JobsConfig.OrphanPolicy.FAIL, false)).isTrue();

        JsonPath job = Api.get(id);
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("errorMessage")).isEqualTo(RunRecorder.ORPHANED);
        assertThat(job.getList("attempts.outcome")).containsExactly("orphaned");
        assertThat(Api.awaitTerminal(dependent).getString("errorMessage")).isEqualTo("dependency " + id + " ended failed");
    }

    /** A queued job claimed under another instance's name, with no worker running it. */
    private String claimedByAGhost(String name, int maxRetries) {
        Api.setWorkers(1);
        try (Gate gate = new Gate()) {
            // keep this instance's only worker busy so the new job stays queued for the ghost to take
            String blocker = Api.submit(gate.job("blocker-" + name));
            Api.awaitStatus(blocker, "running");
            Map<String, Object> body = Api.job(name, "hello.yml");
            body.put("maxRetries", maxRetries);
            String id = Api.submit(body);
            List<ClaimedJob> claimed = queue.claim(1, "ghost-instance");
            assertThat(claimed).extracting(ClaimedJob::id).containsExactly(id);
            gate.open();
            Api.awaitTerminal(blocker);
            assertThat(Api.status(id)).isEqualTo("running");
            return id;
        } finally {
            Api.setWorkers(5);
        }
    }
}
