package io.charon.jobs.observability;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.lifecycle.RunRecorder;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.skywalking.oap.server.library.util.prometheus.metrics.MetricFamily;
import org.apache.skywalking.oap.server.library.util.prometheus.parser.TextParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;

/** Every charon_* metric at /q/metrics moves as real jobs run. */
@QuarkusTest
class MetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    RunRecorder jobs;

    private final Gate gate = new Gate();
    private int workersBefore;

    @AfterEach
    void restore() {
        gate.open();
        if (workersBefore > 0) {
            Api.setWorkers(workersBefore);
        }
    }

    @Test
    void jobCountersHistogramsAndRetriesFollowRealRuns() {
        Map<String, Double> before = scrape();
        Map<String, Object> ok = Api.job("metrics-ok", "hello.yml");
        ok.put("type", "provisioning");
        ok.put("priority", "high");
        Map<String, Object> failing = Api.job("metrics-failing", "fail.yml");
        failing.put("maxRetries", 1);
        failing.put("retryDelay", "PT0S");
        Api.awaitTerminal(Api.submit(ok));
        Api.awaitTerminal(Api.submit(failing));

        await().atMost(SOON).untilAsserted(() -> {
            Map<String, Double> after = scrape();
            assertGrew(before, after, "charon_jobs_submitted_total{priority=\"high\",type=\"provisioning\"}", 1);
            assertGrew(before, after, "charon_jobs_submitted_total{priority=\"normal\",type=\"ansible\"}", 1);
            assertGrew(before, after, "charon_jobs_finished_total{status=\"completed\",type=\"provisioning\"}", 1);
            assertGrew(before, after, "charon_jobs_finished_total{status=\"failed\",type=\"ansible\"}", 1);
            assertGrew(before, after, "charon_job_duration_seconds_count{status=\"completed\",type=\"provisioning\"}", 1);
            assertGrew(before, after, "charon_job_duration_seconds_count{status=\"failed\",type=\"ansible\"}", 1);
            assertGrew(before, after, "charon_job_duration_seconds_bucket{le=\"+Inf\",status=\"failed\",type=\"ansible\"}", 1);
            assertThat(after.get("charon_job_duration_seconds_sum{status=\"completed\",type=\"provisioning\"}"))
                    .isGreaterThan(before.get("charon_job_duration_seconds_sum{status=\"completed\",type=\"provisioning\"}"));
            // three starts: the first job, the failing one and its retry
            assertGrew(before, after, "charon_dispatch_latency_seconds_count", 3);
            assertGrew(before, after, "charon_job_retries_total", 1);
        });
    }

    @Test
    void gaugesShowRunningJobsWorkersAndTheQueue() {
        workersBefore = Api.workers().getInt("workerCount");
        String held = Api.submit(gate.job("metrics-running"));
        Api.awaitStatus(held, "running");
        await().atMost(SOON).until(() -> value("charon_jobs_running") >= 1);

        Api.setWorkers(0);
        assertThat(value("charon_workers")).isZero();
        double lowBefore = value("charon_queue_depth{priority=\"low\"}");
        Map<String, Object> waiting = Api.job("metrics-queued", "hello.yml");
        waiting.put("priority", "low");
        String queued = Api.submit(waiting);
        await().atMost(SOON).until(() -> value("charon_queue_depth{priority=\"low\"}") == lowBefore + 1);

        gate.open();
        Api.setWorkers(workersBefore);
        assertThat(value("charon_workers")).isEqualTo(workersBefore);
        Api.awaitTerminal(held);
        Api.awaitTerminal(queued);
        await().atMost(SOON).until(() -> value("charon_queue_depth{priority=\"low\"}") == lowBefore
                && value("charon_jobs_running") == 0);
    }

    @Test
    void settledOrphansAreCounted() {
        double orphansBefore = value("charon_orphans_rescued_total");
        String id = Api.submit(gate.job("metrics-orphan"));
        Api.awaitStatus(id, "running");

        // what start-up does with the runs a killed instance left behind: the first claim holds token 1
        assertThat(jobs.rescueOrphan(id, 1, JobsConfig.OrphanPolicy.FAIL, true)).isTrue();

        await().atMost(SOON).until(() -> value("charon_orphans_rescued_total") == orphansBefore + 1);
        assertThat(Api.get(id).getString("errorMessage")).isEqualTo(RunRecorder.ORPHANED);
    }

    @Test
    void aJobCancelledBeforeItRanIsCountedAsFinishedWithoutADuration() {
        String finished = "charon_jobs_finished_total{status=\"cancelled\",type=\"ansible\"}";
        String durations = "charon_job_duration_seconds_count{status=\"cancelled\",type=\"ansible\"}";
        Map<String, Double> before = scrape();
        Map<String, Object> later = Api.job("metrics-never-ran", "hello.yml");
        later.put("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString());
        String id = Api.submit(later);
        given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);

        // the duration is recorded (or not) with the finished count, by the same pass of the metrics thread
        await().atMost(SOON).untilAsserted(() -> assertGrew(before, scrape(), finished, 1));
        assertThat(scrape().getOrDefault(durations, 0.0)).as("a job that never ran has no run duration")
                .isEqualTo(before.getOrDefault(durations, 0.0));
    }

    @Test
    void theExpositionParsesAndEveryCharonFamilyHasHelpText() throws IOException {
        // Prometheus's text format, as a scraper that does not ask for OpenMetrics gets it
        String text = given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("version=0.0.4")).extract().asString();
        // one family at a time, split at its HELP line: the parser ends its reading at a family it
        // does not model (Micrometer's long task timers, summaries with _active_count samples)
        List<String> blocks = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || blocks.isEmpty()) {
                blocks.add("");
            }
            blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1) + line + "\n");
        }
        List<String> charonBlocks = blocks.stream().filter(block -> block.startsWith("# HELP charon_")).toList();
        Set<String> declared = text.lines().filter(line -> line.startsWith("# TYPE charon_"))
                .map(line -> line.split(" ")[2]).collect(Collectors.toSet());
        assertThat(declared).contains("charon_jobs_submitted_total", "charon_job_duration_seconds", "charon_event_subscribers",
                "charon_queue_depth");
        List<MetricFamily> charon = new ArrayList<>();
        for (String block : charonBlocks) {
            // the argument is the scrape's time, which the parser stamps on samples without one
            MetricFamily family = new TextParser(new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8))).parse(0);
            assertThat(family).as("parsed:%n%s", block).isNotNull();
            charon.add(family);
        }
        assertThat(charon).extracting(MetricFamily::getName).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(charon).allSatisfy(family -> {
            assertThat(family.getHelp()).as("help of " + family.getName()).isNotBlank();
            assertThat(family.getMetrics()).as("samples of " + family.getName()).isNotEmpty();
        });
    }

    private static void assertGrew(Map<String, Double> before, Map<String, Double> after, String sample, double by) {
        assertThat(after).as(sample).containsKey(sample);
        assertThat(after.get(sample) - before.getOrDefault(sample, 0.0)).as(sample).isGreaterThanOrEqualTo(by);
    }

    private static double value(String sample) {
        Double value = scrape().get(sample);
        assertThat(value).as(sample + " is exported").isNotNull();
        return value;
    }

    /** Every sample of the Prometheus text, keyed by name and labels sorted by name. */
    static Map<String, Double> scrape() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new java.util.TreeMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            String key = sample.group(1) + (labels.isEmpty() ? "" : labels.entrySet().stream()
                    .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                    .collect(java.util.stream.Collectors.joining(",", "{", "}")));
            try {
                samples.put(key, Double.parseDouble(sample.group(3)));
            } catch (NumberFormatException e) {
                // +Inf and the like: no sample this test reads
            }
        }
        return samples;
    }
}
