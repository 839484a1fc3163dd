package io.charon.jobs.dispatch;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.TunedServiceProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commit that stores a submission, or a run's outcome, also claims what may start:
 * an idle service starts a new job without a claim transaction of its own, and a finished run's
 * slot goes to the next job in the commit of its outcome, in claim order and within the cap.
 */
@QuarkusTest
@TestProfile(TunedServiceProfile.class) // one slot, and a dispatcher tick of an hour
class ClaimsAlongWritesTest {

    @Inject
    MeterRegistry metrics;

    @Test
    void aJobSubmittedToAnIdleServiceIsClaimedInTheCommitThatStoresIt() {
        double bySubmissions = claimed("submissions");
        double byPasses = claimed("dispatcher");

        JsonPath job = Api.awaitTerminal(Api.submit(Api.job("along-submission", "hello.yml")));

        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(claimed("submissions") - bySubmissions).isEqualTo(1);
        assertThat(claimed("dispatcher") - byPasses).isZero();
        List<String> types = Api.events(job.getString("id")).stream().map(e -> (String) e.get("type")).toList();
        assertThat(types).startsWith("job.created", "job.queued", "job.started");
    }

    @Test
    void theOutcomeOfARunHandsItsSlotToTheNextJobInClaimOrder() {
        double byOutcomes = claimed("outcomes");
        double byPasses = claimed("dispatcher");
        String blocker;
        String low;
        String high;
        try (Gate gate = new Gate()) {
            blocker = Api.submit(gate.job("along-blocker"));
            Api.awaitStatus(blocker, "running");
            low = Api.submit(Api.with(Api.job("along-low", "hello.yml"), "priority", "low"));
            high = Api.submit(Api.with(Api.job("along-high", "hello.yml"), "priority", "high"));
            // the only slot is taken: both wait in the queue
            assertThat(Api.status(low)).isEqualTo("queued");
            assertThat(Api.status(high)).isEqualTo("queued");
        }
        List<JsonPath> finished = List.of(blocker, high, low).stream().map(Api::awaitTerminal).toList();

        assertThat(finished).allSatisfy(j -> assertThat(j.getString("status")).isEqualTo("completed"));
        List<String> startOrder = finished.stream().sorted(Comparator.comparing(j -> Instant.parse(j.getString("startedAt"))))
                .map(j -> j.getString("name")).toList();
        assertThat(startOrder).containsExactly("along-blocker", "along-high", "along-low");
        assertThat(ConcurrencyCapTest.maxOverlap(finished)).isEqualTo(1);
        // the blocker's outcome claimed the high-priority job, whose outcome claimed the low one
        assertThat(claimed("outcomes") - byOutcomes).isEqualTo(2);
        assertThat(claimed("dispatcher") - byPasses).isZero();
    }

    private double claimed(String transaction) {
        return metrics.counter("charon.jobs.claimed", "transaction", transaction).count();
    }
}
