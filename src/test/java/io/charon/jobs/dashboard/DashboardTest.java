package io.charon.jobs.dashboard;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Browser;
import io.charon.jobs.support.DefaultToken;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in real headless chromium against the running service: sign-in, live jobs and
 * logs, cancel, per-host results, paging, and what each role is offered. Pages are never
 * reloaded while a test watches them change (a marker set in the page must survive).
 */
@QuarkusTest
@Tag("store-independent") // the pages read the API, whose storage the API tests cover on both stores
class DashboardTest {

    private final Browser browser = Browser.get();
    private int workers;

    @BeforeEach
    void signInAsAdmin() {
        workers = Api.workers().getInt("workerCount");
        browser.signIn(DefaultToken.ADMIN);
    }

    @AfterEach
    void restoreThePoolAndLeaveThePage() {
        Api.setWorkers(workers);
        // a page left open keeps its event and log streams open, which later tests of the same
        // application count on being closed
        browser.leave();
    }

    private static String tag() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Marks the page; {@link #notReloaded()} fails if it was loaded again since. */
    private void mark() {
        browser.script("window.charonMarker = 'still here'");
    }

    private void notReloaded() {
        assertThat(browser.script("return window.charonMarker")).as("the page was not reloaded").isEqualTo("still here");
    }

    @Test
    void signInKeepsTheTokenForTheTabOnlyAndSignOutForgetsIt() {
        assertThat(browser.text("#who-user")).isEqualTo("admin");
        assertThat(browser.text("#who-role")).isEqualTo("admin");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(DefaultToken.ADMIN);
        assertThat(browser.script("return sessionStorage.getItem('charon.token')")).isEqualTo(DefaultToken.ADMIN);
        assertThat(browser.script("return localStorage.length + document.cookie.length")).isEqualTo(0L);

        browser.find("#sign-out").click();
        browser.until(() -> browser.path().equals("/signin"));
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        browser.open("/jobs");
        browser.until(() -> browser.path().equals("/signin"));

        browser.find("#token").sendKeys("not-a-token-of-this-service");
        browser.find("#signin-submit").click();
        browser.until(() -> browser.find("#signin-error").isDisplayed());
        assertThat(browser.text("#signin-error")).contains("unknown");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void aLaunchedJobGoesQueuedRunningCompletedLiveWithItsLogFollowed() throws IOException {
        Api.setWorkers(0);
        try (Gate gate = new Gate()) {
            browser.open("/launch");
            browser.until(() -> browser.find("#launch-form").isDisplayed());
            browser.find("#l-name").sendKeys("ticking");
            browser.find("#l-playbook").sendKeys("ticker.yml");
            browser.find("#l-inventory").sendKeys("localhost");
            browser.find("#l-variables").sendKeys("gate=" + gate.path());
            browser.find("#l-tags").sendKeys("dashboard, live");
            browser.screenshot("launch");
            browser.find("#launch-submit").click();
            browser.until(() -> browser.path().startsWith("/jobs/"));
            String id = browser.path().substring("/jobs/".length());
            browser.until(() -> browser.text("#job-status").equals("queued"));
            mark();

            Api.setWorkers(workers);
            browser.until(() -> browser.text("#job-status").equals("running"));
            Files.createFile(gate.path().resolveSibling("open-1"));
            browser.until(() -> browser.text("#log").contains("item=1"));
            Files.createFile(gate.path().resolveSibling("open-2"));
            browser.until(() -> browser.text("#log").contains("item=2"));
            Files.createFile(gate.path().resolveSibling("open-3"));
            browser.until(() -> browser.text("#job-status").equals("completed"));
            browser.until(() -> browser.text("#log").contains("PLAY RECAP"));
            browser.until(() -> browser.text("#events").contains("job.completed"));
            notReloaded();

            assertThat(browser.text("#events")).contains("job.queued", "job.started", "job.progress");
            assertThat(browser.text("#hosts tr[data-host='localhost'] td[data-column='ok']")).isEqualTo("1"); // one looped task
            assertThat(browser.text("#attempts tbody")).contains("completed");
            assertThat(Api.get(id).getList("tags")).containsExactly("dashboard", "live");

            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("job");
            browser.find("#log-search").sendKeys("item=2");
            browser.until(() -> browser.text("#log-matches").equals("1 line"));
            assertThat(browser.text("#log")).contains("item=2").doesNotContain("item=1");
        }
    }

    @Test
    void theJobsListShowsNewJobsAndTheirStatusLive() {
        String tag = tag();
        browser.open("/jobs?tag=" + tag);
        browser.until(() -> browser.find("#jobs-empty").isDisplayed());
        mark();
        try (Gate gate = new Gate()) {
            Map<String, Object> body = gate.job("listed");
            body.put("tags", List.of(tag));
            String id = Api.submit(body);
            String status = "#jobs tr[data-job='" + id + "'] .status";
            browser.until(() -> browser.text(status).equals("running"));
            gate.open();
            browser.until(() -> browser.text(status).equals("completed"));
        }
        notReloaded();
    }

    @Test
    void aRunningJobIsCancelledFromItsPage() {
        try (Gate gate = new Gate()) {
            String id = Api.submit(gate.job("to cancel"));
            browser.open("/jobs/" + id);
            browser.until(() -> browser.text("#job-status").equals("running"));
            assertThat(browser.find("#relaunch-job").isDisplayed()).isFalse();
            browser.find("#cancel-job").click();
            browser.until(() -> browser.text("#job-status").equals("cancelled"));
            assertThat(Api.status(id)).isEqualTo("cancelled");
            browser.until(() -> browser.find("#relaunch-job").isDisplayed());
            assertThat(browser.find("#cancel-job").isDisplayed()).isFalse();
        }
    }

    @Test
    void aFailedHostStandsOutInThePerHostTableAndTheJobRelaunches() {
        String id = Api.submit(Api.job("breaks", "fail.yml"));
        browser.open("/jobs/" + id);
        browser.until(() -> browser.text("#job-status").equals("failed"));
        browser.until(() -> !browser.all("#hosts tr.host-failed[data-host='localhost']").isEmpty());
        assertThat(browser.text("#hosts tr[data-host='localhost'] td[data-column='failed']")).isEqualTo("1");
        assertThat(browser.text("#job-error")).contains("Broken step");
        assertThat(browser.text("#attempts tbody")).contains("failed");

        browser.find("#relaunch-job").click();
        browser.until(() -> browser.path().startsWith("/jobs/") && !browser.path().endsWith(id));
        browser.until(() -> browser.text("#job-name").equals("breaks"));
    }

    @Test
    void twoHundredJobsArePagedThrough() {
        String tag = tag();
        String later = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        // several at once: each submission waits for its group commit
        Set<String> submitted = ConcurrentHashMap.newKeySet();
        inParallel(200, i -> {
            Map<String, Object> body = Api.job("paged " + i, "hello.yml");
            body.put("tags", List.of(tag));
            body.put("scheduledAt", later); // waits, so the list does not change while it is paged
            submitted.add(Api.submit(body));
        });
        browser.open("/jobs?tag=" + tag);
        List<String> seen = new ArrayList<>();
        for (int page = 1; page <= 4; page++) {
            int number = page;
            browser.until(() -> browser.text("#page-number").equals("Page " + number)
                    && browser.all("#jobs tbody tr").size() == 50);
            browser.all("#jobs tbody tr").forEach(row -> seen.add(row.getAttribute("data-job")));
            if (page < 4) {
                browser.find("#next-page").click();
            }
        }
        assertThat(browser.find("#next-page").isEnabled()).isFalse();
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);

        browser.find("#prev-page").click();
        browser.until(() -> browser.text("#page-number").equals("Page 3"));
        assertThat(browser.find("#jobs tbody tr").getAttribute("data-job")).isEqualTo(seen.get(100));
        List<String> ids = List.copyOf(submitted);
        inParallel(ids.size(), i -> Api.cancel(ids.get(i))); // so that they never run
    }

    private static void inParallel(int count, IntConsumer task) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                done.add(pool.submit(() -> task.accept(index)));
            }
            for (Future<?> each : done) {
                each.get(2, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAdminResizesAndPausesThePoolAndAViewerIsNotOffered() {
        browser.open("/");
        browser.until(() -> browser.find("#workers").isDisplayed());
        browser.until(() -> !browser.all("#queues tbody tr[data-queue='default']").isEmpty());
        WebElement count = browser.find("#worker-count");
        count.clear();
        count.sendKeys("3");
        browser.find("#resize").click();
        browser.until(() -> Api.workers().getInt("workerCount") == 3);
        browser.until(() -> browser.text("#workers-summary").startsWith("3 workers"));
        browser.find("#pause-pool").click();
        browser.until(() -> Api.workers().getInt("workerCount") == 0);
        browser.until(() -> browser.find("#resume-pool").isDisplayed());
        browser.find("#resume-pool").click();
        browser.until(() -> Api.workers().getInt("workerCount") == 3);
        browser.screenshot("overview");

        String viewer = Api.token("watcher", "viewer");
        browser.open("/tokens");
        browser.until(() -> browser.text("#listing tbody").contains("watcher"));
        assertThat(browser.text("#listing tbody")).doesNotContain(viewer);
        browser.open("/audit");
        browser.until(() -> browser.text("#listing tbody").contains("workers.resize"));

        browser.signIn(viewer);
        browser.until(() -> !browser.all("#queues tbody tr[data-queue='default']").isEmpty());
        assertThat(browser.find("#workers").isDisplayed()).isFalse();
        assertThat(browser.all("#queues button")).isEmpty();
        assertThat(browser.all("#nav a").stream().filter(WebElement::isDisplayed).map(WebElement::getText))
                .contains("Overview", "Jobs").doesNotContain("Launch", "Tokens", "Audit");
        browser.open("/launch");
        browser.until(() -> browser.text("#page-title").equals("Launch"));
        assertThat(browser.find("#launch-form").isDisplayed()).isFalse();
        // and the API refuses what is not offered
        Api.as(viewer).contentType(ContentType.JSON).body(Map.of("workerCount", 1)).put("/api/v1/workers")
                .then().statusCode(403);
    }

    @Test
    void launchValidationMessagesStandBesideTheirFields() {
        browser.open("/launch");
        browser.until(() -> browser.find("#launch-form").isDisplayed());
        browser.find("#l-playbook").sendKeys("../outside.yml");
        browser.find("#l-inventory").sendKeys("localhost");
        browser.find("#l-variables").sendKeys("ansible_host=x");
        browser.find("#launch-submit").click();
        browser.until(() -> browser.find(".field-error[data-for='name']").isDisplayed());
        assertThat(browser.text(".field-error[data-for='playbook']")).isNotBlank();
        assertThat(browser.text(".field-error[data-for='variables']")).contains("ansible_host");
        assertThat(browser.find("#l-name").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find(".field-error[data-for='inventory']").isDisplayed()).isFalse();
        assertThat(browser.path()).isEqualTo("/launch");
    }

    @Test
    void hostileNamesTagsVariablesAndLogLinesShowAsText() {
        String hostile = "<img src=x onerror=alert(1)>";
        browser.console(Level.ALL); // drop what came before
        Map<String, Object> body = Api.job(hostile, "echo.yml");
        body.put("tags", List.of("<script>alert(2)</script>"));
        Api.post(body).then().statusCode(400); // tags cannot hold markup at all; the tag below is as odd as they get
        body.put("tags", List.of("x=alert:1/-", "a.b_c"));
        Map<String, String> variables = new HashMap<>();
        variables.put("message", "<img src=x onerror=alert(3)> \u001b[31mred\u001b[0m");
        body.put("variables", variables);
        body.put("description", "<b onmouseover=alert(4)>bold</b>");
        String id = Api.submit(body);
        Api.awaitTerminal(id);

        browser.open("/jobs/" + id);
        browser.until(() -> browser.text("#job-name").equals(hostile));
        browser.until(() -> browser.text("#log").contains("PLAY RECAP"));
        assertThat(browser.text("#job-tags")).contains("x=alert:1/-");
        assertThat(browser.text("#variables")).contains("<img src=x onerror=alert(3)>");
        assertThat(browser.text("#log")).contains("onerror=alert(3)");
        assertThat(browser.text("#job-facts")).contains("<b onmouseover=alert(4)>bold</b>");
        browser.open("/jobs");
        browser.until(() -> browser.text("#jobs tr[data-job='" + id + "']").contains(hostile));
        browser.open("/");
        browser.until(() -> browser.find("#status-counts").isDisplayed());

        assertThat(browser.all("main img, main script, main b")).isEmpty();
        assertThat(browser.dialogOpen()).as("a dialog opened").isFalse();
        assertThat(browser.console(Level.WARNING)).as("console errors and warnings").isEmpty();
    }
}
