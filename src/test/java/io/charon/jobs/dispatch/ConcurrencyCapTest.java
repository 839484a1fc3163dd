package io.charon.jobs.dispatch;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.TunedServiceProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With more workers than the cap, the cap wins. */
@QuarkusTest
@TestProfile(TunedServiceProfile.class) // two workers, a cap of one
class ConcurrencyCapTest {

    @Test
    void runningJobsNeverExceedTheCap() {
        List<String> ids = new ArrayList<>();
        try (Gate gate = new Gate()) {
            for (int i = 0; i < 3; i++) {
                ids.add(Api.submit(gate.job("capped-" + i)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> running(ids) == 1);
            // holds while the gate stays closed: the other two stay queued, a worker idle
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(60)).until(() -> running(ids) == 1);
            JsonPath workers = Api.workers();
            assertThat(workers.getInt("workerCount")).isEqualTo(2);
            assertThat(workers.getInt("maxConcurrentJobs")).isEqualTo(1);
            assertThat(workers.getInt("activeJobs")).isEqualTo(1);
            assertThat(workers.getLong("queueSize")).isEqualTo(2);
        }
        List<JsonPath> finished = ids.stream().map(Api::awaitTerminal).toList();
        assertThat(finished).allSatisfy(j -> assertThat(j.getString("status")).isEqualTo("completed"));
        assertThat(maxOverlap(finished)).isEqualTo(1);
    }

    private static long running(List<String> ids) {
        return ids.stream().filter(id -> Api.status(id).equals("running")).count();
    }

    /** The most runs that were under way at one moment, from the stored start and end times. */
    static int maxOverlap(List<JsonPath> jobs) {
        int most = 0;
        for (JsonPath job : jobs) {
            Instant at = Instant.parse(job.getString("startedAt"));
            int overlapping = (int) jobs.stream().filter(other -> !Instant.parse(other.getString("startedAt")).isAfter(at)
                    && Instant.parse(other.getString("completedAt")).isAfter(at)).count();
            most = Math.max(most, overlapping);
        }
        return most;
    }
}
