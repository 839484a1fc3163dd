package io.charon.jobs.dashboard;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Browser;
import io.charon.jobs.support.ServiceProcess;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The overview open in headless chromium while 20,000 jobs run through a packaged service at its
 * drain rate: submitted to a paused pool in batches, then drained by the noop runner (no process,
 * so the queue, the store and the event stream set the pace), which the page follows live
 * (created, queued, started and completed: four events a job). After each batch and each
 * 2,000 jobs drained, the page is asked two questions: how long a keystroke in it takes to be
 * answered (from the key event's time to the frame after its handling, measured in the page),
 * and how much memory it holds (JavaScript heap after a full collection, and DOM nodes, through
 * the Chrome DevTools protocol). The keystroke must be answered within 200 ms every time, and
 * the memory must not grow with the jobs seen: what the page holds after all 20,000 is within
 * a fixed margin of what it held after the first 2,000.
 */
class DashboardSoakIT {

    static final int JOBS = 20_000;
    static final int BATCH = 2_000;
    static final int WORKERS = 8;
    static final double ANSWER_MILLIS = 200;
    /**
     * Heap growth allowed between the first sample and the last: a page that kept as little as
     * 64 bytes per job seen (a row, an event, a map entry) would grow by more than twice this.
     */
    static final long HEAP_MARGIN = 512 * 1024;
    /** DOM nodes: the running table's rows come and go (up to 50 rows of about ten nodes). */
    static final long NODE_MARGIN = 600;
    static final Path REPORT = Path.of("target/dashboard-soak.txt");

    /** Records, in the page, how long each keystroke in the worker count field takes to be answered. */
    private static final String LISTEN = """
            window.charonAnswers = [];
            window.charonLongestTask = 0;
            document.getElementById('worker-count').addEventListener('keydown', event => {
              const pressed = event.timeStamp;
              requestAnimationFrame(() => setTimeout(() => window.charonAnswers.push(performance.now() - pressed)));
            });
            new PerformanceObserver(list => list.getEntries().forEach(task =>
              window.charonLongestTask = Math.max(window.charonLongestTask, task.duration))).observe({ type: 'longtask' });
            """;

    record Sample(String when, int jobsSeen, double answerMillis, long heapBytes, long nodes) {
        @Override
        public String toString() {
            return String.format("%-22s %,7d jobs  answer %6.1f ms  heap %,11d B  %,6d nodes", when, jobsSeen,
                    answerMillis, heapBytes, nodes);
        }
    }

    @TempDir
    Path dataDir;

    private final Browser browser = Browser.get();
    private final List<Sample> samples = new ArrayList<>();

    @Test
    void theOverviewStaysResponsiveAndBoundedWhileTwentyThousandJobsRunThrough() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, Map.of("charon.jobs.runner", "noop",
                "charon.jobs.worker-count", "0", "charon.jobs.max-concurrent-jobs", String.valueOf(WORKERS),
                "charon.jobs.dispatch-interval", "200ms")).start()) {
            browser.serving(service.port());
            browser.signIn(ServiceProcess.ADMIN_TOKEN);
            browser.until(() -> browser.find("#workers").isDisplayed()
                    && !browser.all("#queues tbody tr[data-queue='default']").isEmpty());
            browser.script(LISTEN);
            browser.devTools("Performance.enable", Map.of());

            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                for (int submitted = 0; submitted < JOBS; submitted += BATCH) {
                    submitBatch(service, clients, submitted);
                    sample("submitted", submitted + BATCH);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(queued(service)).isEqualTo(JOBS);

            service.request().contentType(ContentType.JSON).body(Map.of("workerCount", WORKERS))
                    .put("/api/v1/workers").then().statusCode(200);
            for (int left = JOBS - BATCH; left >= 0; left -= BATCH) {
                int target = left;
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> queued(service) <= target);
                sample("drained", JOBS - left);
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> completed(service) == JOBS);
            // the page caught up, live: its count is the service's
            browser.until(() -> browser.text("#status-counts li[data-status='completed'] .count-value")
                    .equals(String.valueOf(JOBS)));
            sample("all seen", JOBS);
            report();

            assertThat(samples).allSatisfy(s -> assertThat(s.answerMillis()).as("%s", s).isLessThanOrEqualTo(ANSWER_MILLIS));
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            assertThat(last.heapBytes()).as("the page's heap after %,d jobs against after %,d: %s", JOBS,
                    first.jobsSeen(), REPORT).isLessThanOrEqualTo(first.heapBytes() + HEAP_MARGIN);
            assertThat(last.nodes()).as("the page's DOM nodes: %s", REPORT).isLessThanOrEqualTo(first.nodes() + NODE_MARGIN);
        } finally {
            browser.leave();
        }
    }

    /** Submits one batch from several clients at once: each submission waits for its group commit. */
    private static void submitBatch(ServiceProcess service, ExecutorService clients, int first) throws Exception {
        List<Future<String>> done = new ArrayList<>();
        for (int i = first; i < first + BATCH; i++) {
            String name = "soak " + i;
            done.add(clients.submit(() -> service.submit(Api.job(name, "hello.yml"))));
        }
        for (Future<String> each : done) {
            each.get(2, TimeUnit.MINUTES);
        }
    }

    private static int queued(ServiceProcess service) {
        return service.request().get("/api/v1/workers").then().statusCode(200).extract().path("queueSize");
    }

    private static int completed(ServiceProcess service) {
        Integer count = service.request().get("/api/v1/stats").then().statusCode(200).extract().path("byStatus.completed");
        return count == null ? 0 : count;
    }

    /** A keystroke's answer time, then the page's memory after a full collection. */
    private void sample(String when, int jobsSeen) {
        WebElement field = browser.find("#worker-count");
        long answered = (Long) browser.script("return window.charonAnswers.length");
        field.sendKeys(Keys.ARROW_UP);
        field.sendKeys(Keys.ARROW_DOWN); // back to what the pool has; the form is never sent
        browser.until(() -> (Long) browser.script("return window.charonAnswers.length") >= answered + 2);
        double answer = ((Number) browser.script("return Math.max(...window.charonAnswers.slice(arguments[0]))",
                answered)).doubleValue();

        browser.devTools("HeapProfiler.collectGarbage", Map.of());
        long heap = ((Number) browser.devTools("Runtime.getHeapUsage", Map.of()).get("usedSize")).longValue();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) browser.devTools("Performance.getMetrics",
                Map.of()).get("metrics");
        long nodes = metrics.stream().filter(m -> "Nodes".equals(m.get("name")))
                .mapToLong(m -> ((Number) m.get("value")).longValue()).findFirst().orElseThrow();
        samples.add(new Sample(when, jobsSeen, answer, heap, nodes));
    }

    private void report() throws Exception {
        String text = samples.stream().map(Sample::toString).collect(Collectors.joining("\n"))
                + String.format("%nlongest task in the page: %.0f ms%n",
                ((Number) browser.script("return window.charonLongestTask")).doubleValue());
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, text);
        System.out.println("DashboardSoakIT:\n" + text);
    }
}
