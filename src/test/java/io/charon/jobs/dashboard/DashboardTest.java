package io.charon.jobs.dashboard;

import io.charon.jobs.api.OpenStreams;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.Browser;
import io.charon.jobs.support.DefaultToken;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in real headless chromium against the running service: sign-in, launching from a
 * template and a raw launch, live jobs and logs, cancel, per-host results, paging, schedules,
 * workflow runs with their approvals and resume, what each role is offered, hostile content, and
 * axe-core in every page. Pages are never reloaded while a test watches them change (a marker set
 * in the page must survive).
 */
@QuarkusTest
@Tag("store-independent") // the pages read the API, whose storage the API tests cover on both stores
class DashboardTest {

    private final Browser browser = Browser.get();
    @Inject
    OpenStreams streams;
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

    /** Stores a template of {@code playbook} on localhost with {@code parameters}; returns its (new) name. */
    private static String template(String playbook, List<Map<String, Object>> parameters) {
        String name = "deploy-" + tag();
        Map<String, Object> body = Api.job(name, playbook);
        body.put("description", "Deploys a release and waits for the gate");
        body.put("parameters", parameters);
        RestAssured.given().contentType(ContentType.JSON).body(body).post("/api/v1/templates").then().statusCode(201);
        return name;
    }

    /** The control of the launch form's parameter {@code name}. */
    private WebElement parameter(String name) {
        return browser.find("[data-field='parameters." + name + "']");
    }

    private String parameterError(String name) {
        return browser.text(".field-error[data-for='parameters." + name + "']");
    }

    @Test
    void aJobLaunchedFromATemplateGoesQueuedRunningCompletedLiveWithItsLogFollowed() throws IOException {
        String template = template("ticker.yml", List.of(
                Map.of("name", "gate", "type", "string", "required", true, "description", "The file the run waits for"),
                Map.of("name", "release", "type", "string", "default", "1.4.2", "pattern", "[0-9]+(\\.[0-9]+)*"),
                Map.of("name", "replicas", "type", "integer", "default", 2, "min", 1, "max", 10),
                Map.of("name", "canary", "type", "boolean", "default", false),
                Map.of("name", "regions", "type", "multichoice", "choices", List.of("eu", "us", "ap"),
                        "default", List.of("eu"), "min", 1),
                Map.of("name", "api_token", "type", "secret", "required", true, "min", 8)));
        Api.setWorkers(0);
        try (Gate gate = new Gate()) {
            browser.open("/launch");
            browser.until(() -> !browser.all("#t-template option[value='" + template + "']").isEmpty());
            new Select(browser.find("#t-template")).selectByValue(template);
            browser.until(() -> !browser.all("[data-parameter='api_token']").isEmpty());
            // the form is the template's: defaults filled in, a secret typed unseen
            assertThat(parameter("replicas").getAttribute("value")).isEqualTo("2");
            assertThat(parameter("release").getAttribute("value")).isEqualTo("1.4.2");
            assertThat(new Select(parameter("canary")).getFirstSelectedOption().getText()).isEqualTo("false");
            assertThat(browser.find("[data-parameter='regions'] input[value='eu']").isSelected()).isTrue();
            assertThat(parameter("api_token").getAttribute("type")).isEqualTo("password");
            assertThat(browser.text("#t-description")).isEqualTo("Deploys a release and waits for the gate");

            // the API's messages stand beside the parameters they name
            parameter("replicas").clear();
            parameter("replicas").sendKeys("40");
            parameter("api_token").sendKeys("short");
            browser.find("[data-parameter='regions'] input[value='eu']").click();
            browser.find("#template-submit").click();
            browser.until(() -> browser.find(".field-error[data-for='parameters.gate']").isDisplayed());
            assertThat(parameterError("gate")).contains("required");
            assertThat(parameterError("replicas")).contains("10");
            assertThat(parameterError("api_token")).contains("characters").doesNotContain("short");
            assertThat(parameterError("regions")).isNotBlank();
            assertThat(parameter("replicas").getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.find(".field-error[data-for='parameters.release']").isDisplayed()).isFalse();
            assertThat(browser.path()).isEqualTo("/launch");
            assertThat(browser.accessibilityViolations()).as("the launch form with its messages").isEmpty();
            browser.screenshot("launch");

            parameter("replicas").clear();
            parameter("replicas").sendKeys("3");
            parameter("gate").sendKeys(gate.path().toString());
            parameter("api_token").clear();
            parameter("api_token").sendKeys("s3cret-token");
            browser.find("[data-parameter='regions'] input[value='us']").click();
            browser.find("#template-submit").click();
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
            assertThat(browser.text("#variables")).contains("api_token").doesNotContain("s3cret-token");
            var job = Api.get(id);
            assertThat(job.getString("template")).isEqualTo(template);
            assertThat(job.getMap("variables")).containsEntry("replicas", "3").containsEntry("release", "1.4.2")
                    .containsEntry("canary", "false").containsEntry("regions", "[\"us\"]");
            assertThat(job.getList("secretVariables")).containsExactly("api_token");

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

    /**
     * A page left for another is kept frozen in the browser's back/forward cache: were its streams
     * left open, each would hold one of the six connections the browser opens to the service, and
     * after a few pages new requests waited until old pages were dropped (a job page's log stalled
     * for some 40 s). A page closes its streams when hidden and resumes them when shown again.
     */
    @Test
    void aPageLeftClosesItsStreamsAndResumesThemWhenShownAgain() {
        String tag = tag();
        browser.open("/jobs?tag=" + tag);
        browser.until(() -> browser.find("#jobs-empty").isDisplayed());
        browser.until(() -> streams.count() == 1);
        mark();
        browser.open("/inventories");
        browser.until(() -> browser.find("#listing-empty").isDisplayed() || !browser.all("#listing tbody tr").isEmpty());
        browser.until(() -> streams.count() == 0);

        browser.driver().navigate().back();
        browser.until(() -> browser.path().equals("/jobs"));
        notReloaded(); // shown again from the cache, as it was
        browser.until(() -> streams.count() == 1);
        Map<String, Object> body = Api.job("after the return", "hello.yml");
        body.put("tags", List.of(tag));
        String id = Api.submit(body);
        browser.until(() -> browser.text("#jobs tr[data-job='" + id + "'] .status").equals("completed"));
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
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Map<String, Object> body = Api.job("paged " + i, "hello.yml");
            body.put("tags", List.of(tag));
            body.put("scheduledAt", later); // waits, so the list does not change while it is paged
            bodies.add(body);
        }
        List<String> submitted = Api.submitAll(bodies);
        browser.open("/jobs?tag=" + tag);
        List<Object> seen = new ArrayList<>();
        for (int page = 1; page <= 4; page++) {
            int number = page;
            browser.until(() -> browser.text("#page-number").equals("Page " + number)
                    && browser.all("#jobs tbody tr").size() == 50);
            // the page's rows in one call: 50 WebDriver calls a page cost seconds on a loaded machine
            seen.addAll((List<?>) browser.script("return [...document.querySelectorAll('#jobs tbody tr')].map(row => row.dataset.job)"));
            if (page < 4) {
                browser.find("#next-page").click();
            }
        }
        assertThat(browser.find("#next-page").isEnabled()).isFalse();
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);

        browser.find("#prev-page").click();
        browser.until(() -> browser.text("#page-number").equals("Page 3"));
        assertThat(browser.find("#jobs tbody tr").getAttribute("data-job")).isEqualTo(seen.get(100));
        Api.cancelAll(submitted); // so that they never run
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

        String hello = template("hello.yml", List.of());
        String workflow = workflow("Says hello", List.of(node("only", hello, Map.of())), List.of());
        String run = RestAssured.given().post("/api/v1/workflows/" + workflow + "/launch").then().statusCode(201)
                .extract().path("id");
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
                .contains("Overview", "Jobs", "Workflows").doesNotContain("Launch", "Schedules", "Tokens", "Audit");
        browser.open("/workflows");
        browser.until(() -> browser.text("#listing tbody").contains(workflow));
        assertThat(browser.all("#listing button")).as("launch buttons").isEmpty();
        browser.open("/workflows/" + workflow);
        browser.until(() -> browser.find("#runs-empty").isDisplayed());
        assertThat(browser.find("#launch-workflow").isDisplayed()).isFalse();
        // a run is seen by its launcher and admins only: to a viewer, the admin's run does not exist
        browser.open("/workflow-runs/" + run);
        browser.until(() -> browser.find("#notice").isDisplayed());
        assertThat(browser.find("#cancel-run").isDisplayed()).isFalse();
        browser.open("/launch");
        browser.until(() -> browser.text("#page-title").equals("Launch"));
        assertThat(browser.find("#launch-form").isDisplayed()).isFalse();
        assertThat(browser.find("#template-form").isDisplayed()).isFalse();
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

        browser.find("#l-name").sendKeys("raw launch");
        browser.find("#l-playbook").clear();
        browser.find("#l-playbook").sendKeys("hello.yml");
        browser.find("#l-variables").clear();
        browser.find("#launch-submit").click();
        browser.until(() -> browser.path().startsWith("/jobs/"));
        browser.until(() -> browser.text("#job-name").equals("raw launch"));
        Api.awaitTerminal(browser.path().substring("/jobs/".length()));
    }

    @Test
    void anAdminPausesAndResumesASchedule() {
        String template = template("hello.yml", List.of());
        String name = "nightly-" + tag();
        // it starts in 2099: it never fires during the tests
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", name, "template", template,
                "cron", "30 2 * * *", "timeZone", "Europe/Paris", "startAt", "2099-01-01T00:00:00Z"))
                .post("/api/v1/schedules").then().statusCode(201);
        try {
            browser.open("/schedules");
            String row = "#listing tr[data-key='" + name + "']";
            browser.until(() -> browser.text(row).contains("active"));
            assertThat(browser.text(row)).contains(template, "30 2 * * *", "Europe/Paris", "never");
            assertThat(browser.all(row + " .runs li")).hasSize(3);
            mark();

            browser.find(row + " button").click();
            browser.until(() -> browser.text(row).contains("paused"));
            assertThat(browser.text(row)).contains("none while paused");
            assertThat(enabled(name)).isFalse();
            browser.find(row + " button").click();
            browser.until(() -> browser.text(row).contains("active") && browser.all(row + " .runs li").size() == 3);
            assertThat(enabled(name)).isTrue();
            notReloaded();
        } finally {
            RestAssured.given().delete("/api/v1/schedules/" + name).then().statusCode(204);
        }
    }

    private static boolean enabled(String schedule) {
        return RestAssured.given().get("/api/v1/schedules/" + schedule).then().statusCode(200).extract().path("enabled");
    }

    // ---- workflows --------------------------------------------------------------------------------

    /** A template of gate.yml on localhost whose parameter {@code gate} names the file it waits for. */
    private static String gateTemplate() {
        return template("gate.yml", List.of(Map.of("name", "gate", "type", "string", "required", true)));
    }

    private static Map<String, Object> node(String id, String template, Map<String, Object> parameters) {
        return Map.of("id", id, "template", template, "parameters", parameters);
    }

    private static Map<String, Object> edge(String from, String to, String on, String when) {
        Map<String, Object> edge = new LinkedHashMap<>(Map.of("from", from, "to", to, "on", on));
        if (when != null) {
            edge.put("when", when);
        }
        return edge;
    }

    /** Stores a workflow; returns its (new) name. */
    private static String workflow(String description, List<Map<String, Object>> nodes, List<Map<String, Object>> edges) {
        String name = "release-" + tag();
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", name, "description", description,
                "nodes", nodes, "edges", edges)).post("/api/v1/workflows").then().statusCode(201);
        return name;
    }

    /**
     * build waits for the gate, then deploy runs on success; rollback only on a failure with exit
     * code 2, so it is skipped when build completes.
     */
    private static String gatedRelease(Gate gate) {
        String hello = template("hello.yml", List.of());
        return workflow("Builds, then deploys", List.of(
                node("build", gateTemplate(), Map.of("gate", gate.path().toString())),
                node("deploy", hello, Map.of()), node("rollback", hello, Map.of())),
                List.of(edge("build", "deploy", "success", null), edge("build", "rollback", "failure", "exitCode == 2")));
    }

    private static JsonPath run(String id) {
        return RestAssured.given().get("/api/v1/workflow-runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The state a run's page shows in the graph for {@code node}. */
    private String nodeState(String node) {
        return browser.text("#graph [data-node='" + node + "'] .node-state");
    }

    private String edgeOutcome(String from, String to) {
        return browser.text("#graph [data-from='" + from + "'][data-to='" + to + "'] .edge-outcome");
    }

    @Test
    void aWorkflowRunShowsItsNodesGoStartedThenCompletedLive() {
        try (Gate gate = new Gate()) {
            String workflow = gatedRelease(gate);
            browser.open("/workflows");
            browser.until(() -> !browser.all("#listing button[data-launch='" + workflow + "']").isEmpty());
            assertThat(browser.text("#listing tr[data-key='" + workflow + "']")).contains("Builds, then deploys", "3", "2");
            browser.find("#listing tr[data-key='" + workflow + "'] a").click();
            browser.until(() -> browser.text("#workflow-name").equals(workflow));
            assertThat(browser.all("#graph [data-node]")).hasSize(3);
            assertThat(browser.text("#graph [data-from='build'][data-to='rollback'] .edge-trigger")).isEqualTo("failure if exitCode == 2");
            assertThat(browser.text("#edges tbody")).contains("exitCode == 2");
            browser.find("#launch-workflow").click();

            browser.until(() -> browser.path().startsWith("/workflow-runs/"));
            String id = browser.path().substring("/workflow-runs/".length());
            browser.until(() -> nodeState("build").equals("started"));
            mark();
            String job = run(id).getString("nodes.find { it.id == 'build' }.jobId");
            assertThat(browser.find("#graph [data-node='build'] a").getDomAttribute("href")).endsWith("/jobs/" + job);
            assertThat(nodeState("deploy")).isEqualTo("pending");
            assertThat(browser.text("#run-status")).isEqualTo("running");
            assertThat(browser.find("#cancel-run").isDisplayed()).isTrue();

            gate.open();
            browser.until(() -> nodeState("build").equals("completed"));
            browser.until(() -> nodeState("deploy").equals("completed"));
            browser.until(() -> browser.text("#run-status").equals("completed"));
            notReloaded();
            assertThat(nodeState("rollback")).isEqualTo("skipped");
            assertThat(edgeOutcome("build", "deploy")).isEqualTo("taken");
            assertThat(edgeOutcome("build", "rollback")).isEqualTo("not taken");
            assertThat(browser.text("#nodes tr[data-node='deploy']")).contains("completed");
            assertThat(browser.find("#graph [data-node='rollback'] a").getDomAttribute("href")).isNull();
            assertThat(browser.find("#cancel-run").isDisplayed()).isFalse();
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("workflow-run");

            browser.find("#graph [data-node='deploy'] a").click();
            browser.until(() -> browser.path().startsWith("/jobs/"));
            browser.until(() -> browser.text("#job-status").equals("completed"));
        }
    }

    @Test
    void aWorkflowRunIsCancelledFromItsPage() {
        try (Gate gate = new Gate()) {
            String workflow = gatedRelease(gate);
            String id = RestAssured.given().post("/api/v1/workflows/" + workflow + "/launch").then().statusCode(201)
                    .extract().path("id");
            browser.open("/workflow-runs/" + id);
            browser.until(() -> nodeState("build").equals("started"));
            browser.find("#cancel-run").click();
            browser.until(() -> browser.text("#run-status").equals("cancelled"));
            assertThat(browser.text("#run-message")).contains("cancelled by admin");
            browser.until(() -> nodeState("build").equals("cancelled") && nodeState("deploy").equals("cancelled"));
            assertThat(run(id).getString("status")).isEqualTo("cancelled");
            Api.awaitStatus(run(id).getString("nodes.find { it.id == 'build' }.jobId"), "cancelled");
            browser.open("/workflows/" + workflow);
            browser.until(() -> browser.text("#runs tr[data-run='" + id + "']").contains("cancelled"));
        }
    }

    @Test
    void hostileWorkflowDescriptionsConditionsAndMessagesShowAsText() {
        browser.console(Level.ALL); // drop what came before
        String hello = template("hello.yml", List.of());
        String hostile = "<img src=x onerror=alert(1)>";
        // a condition that fails while evaluated: its edge's outcome is an error with CEL's message
        String workflow = workflow(hostile, List.of(node("a.b-c_d", hello, Map.of()), node("next", hello, Map.of()),
                        node("other", hello, Map.of())),
                List.of(edge("a.b-c_d", "next", "success", "status == '<b onmouseover=alert(2)>x</b>'"),
                        edge("a.b-c_d", "other", "always", "hostStats['<img src=y onerror=alert(3)>'].ok > 0")));
        String id = RestAssured.given().post("/api/v1/workflows/" + workflow + "/launch").then().statusCode(201)
                .extract().path("id");
        browser.open("/workflows");
        browser.until(() -> browser.text("#listing tr[data-key='" + workflow + "']").contains(hostile));
        browser.open("/workflows/" + workflow);
        browser.until(() -> browser.text("#workflow-description").equals(hostile));
        assertThat(browser.text("#edges")).contains("<b onmouseover=alert(2)>x</b>", "hostStats['<img src=y onerror=alert(3)>']");
        browser.until(() -> !browser.all("#runs tr[data-run='" + id + "']").isEmpty());
        browser.open("/workflow-runs/" + id);
        browser.until(() -> browser.text("#run-status").equals("failed"));
        browser.until(() -> edgeOutcome("a.b-c_d", "other").startsWith("error"));
        assertThat(browser.text("#edges tr[data-from='a.b-c_d'][data-to='other']")).contains("<img src=y onerror=alert(3)>");
        assertThat(nodeState("a.b-c_d")).isEqualTo("completed");
        assertThat(nodeState("next")).isEqualTo("skipped");

        assertThat(browser.all("main img, main script, main b")).isEmpty();
        assertThat(browser.dialogOpen()).as("a dialog opened").isFalse();
        assertThat(browser.console(Level.WARNING)).as("console errors and warnings").isEmpty();
    }

    // ---- approvals and resume --------------------------------------------------------------------

    private static Map<String, Object> approval(String id, String description, List<String> approvers) {
        return Map.of("id", id, "approval", Map.of("description", description, "approvers", approvers, "timeout", "PT4H"));
    }

    /** build, then review (an approval of {@code approver}), then deploy on its approval. */
    private static String reviewedRelease(String approver) {
        String hello = template("hello.yml", List.of());
        return workflow("Builds, asks, deploys", List.of(node("build", hello, Map.of()),
                        approval("review", "Deploy <b>2.4.1</b> to production?", List.of(approver)),
                        node("deploy", hello, Map.of())),
                List.of(edge("build", "review", "success", null), edge("review", "deploy", "success", null)));
    }

    private static String launchAs(String token, String workflow) {
        return Api.as(token).post("/api/v1/workflows/" + workflow + "/launch").then().statusCode(201).extract().path("id");
    }

    /** Opens a run's page and waits until it shows {@code node} in {@code state}. */
    private void openRun(String id, String node, String state) {
        browser.open("/workflow-runs/" + id);
        browser.until(() -> nodeState(node).equals(state));
    }

    private String nodeRow(String node) {
        return browser.text("#nodes tr[data-node='" + node + "']");
    }

    private boolean decisionOffered(String node) {
        return !browser.all("#nodes tr[data-node='" + node + "'] button[data-decide]").isEmpty();
    }

    /** The value the run's facts show for {@code term}, or null. */
    private Object runFact(String term) {
        return browser.script("const dt = [...document.querySelectorAll('#run-facts dt')].find(d => d.textContent === arguments[0]);"
                + " return dt ? dt.nextElementSibling.textContent : null", term);
    }

    @Test
    void anApproverApprovesAWaitingNodeWithACommentAndTheRunGoesOnLive() {
        String approver = "approver-" + tag();
        String token = Api.token(approver, "operator");
        String id = RestAssured.given().post("/api/v1/workflows/" + reviewedRelease(approver) + "/launch").then()
                .statusCode(201).extract().path("id");
        browser.signIn(token);
        browser.console(Level.ALL); // drop what came before: the page left as the tab signed in again
        openRun(id, "review", "waiting");
        assertThat(nodeRow("review")).contains("approval", "Deploy <b>2.4.1</b> to production?", approver, "Waiting until");
        assertThat(browser.find("[data-decide='approve']").getAttribute("aria-label")).isEqualTo("Approve review");
        assertThat(browser.find("[data-decide='deny']").getAttribute("aria-label")).isEqualTo("Deny review");
        assertThat(nodeState("deploy")).isEqualTo("pending");
        assertThat(browser.find("#cancel-run").isDisplayed()).as("an approver does not cancel").isFalse();
        assertThat(browser.accessibilityViolations()).isEmpty();
        browser.screenshot("workflow-approval");
        mark();

        String hostile = "<img src=x onerror=alert(1)> checked the change log";
        browser.find("[data-comment='review']").sendKeys(hostile);
        browser.find("[data-decide='approve']").click();
        browser.until(() -> nodeRow("review").contains("approved by " + approver));
        browser.until(() -> nodeState("deploy").equals("completed"));
        browser.until(() -> browser.text("#run-status").equals("completed"));
        notReloaded();
        assertThat(nodeRow("review")).contains(hostile).doesNotContain("Waiting until", "timed out");
        assertThat(decisionOffered("review")).isFalse();
        assertThat(run(id).getString("nodes.find { it.id == 'review' }.decision.comment")).isEqualTo(hostile);
        assertThat(browser.all("main img, main script, main b")).isEmpty();
        assertThat(browser.dialogOpen()).as("a dialog opened").isFalse();
        assertThat(browser.console(Level.WARNING)).as("console errors and warnings").isEmpty();
    }

    @Test
    void aDenialShowsDeniedAndTheLauncherResumesTheFailedRun() {
        String approver = "approver-" + tag();
        String approverToken = Api.token(approver, "operator");
        String approverAsViewer = Api.token(approver, "viewer");
        String launcher = "launcher-" + tag();
        String launcherToken = Api.token(launcher, "operator");
        String id = launchAs(launcherToken, reviewedRelease(approver));

        // an approver with a viewer's token sees the run, but may not decide; nor may its launcher
        browser.signIn(approverAsViewer);
        openRun(id, "review", "waiting");
        assertThat(nodeRow("review")).contains(approver);
        assertThat(decisionOffered("review")).isFalse();
        browser.signIn(launcherToken);
        openRun(id, "review", "waiting");
        assertThat(decisionOffered("review")).isFalse();
        assertThat(browser.find("#cancel-run").isDisplayed()).isTrue();

        browser.signIn(approverToken);
        openRun(id, "review", "waiting");
        browser.find("[data-decide='deny']").click();
        browser.until(() -> nodeRow("review").contains("denied by " + approver));
        browser.until(() -> browser.text("#run-status").equals("failed"));
        assertThat(nodeState("deploy")).isEqualTo("skipped");
        assertThat(browser.find("#resume-run").isDisplayed()).as("an approver does not resume").isFalse();
        assertThat(run(id).getMap("nodes.find { it.id == 'review' }.decision")).doesNotContainKey("comment");

        browser.signIn(launcherToken);
        openRun(id, "review", "failed");
        assertThat(runFact("Attempt")).isEqualTo("1");
        assertThat(browser.find("#resume-run").isDisplayed()).isTrue();
        assertThat(browser.accessibilityViolations()).isEmpty();
        mark();
        browser.find("#resume-run").click();
        browser.until(() -> browser.text("#run-status").equals("running"));
        browser.until(() -> nodeState("review").equals("waiting"));
        notReloaded();
        assertThat(runFact("Attempt")).isEqualTo("2");
        assertThat((String) runFact("Resumes")).contains("attempt 2: resumed by " + launcher, "review", "deploy");
        assertThat(browser.find("#resume-run").isDisplayed()).isFalse();
        assertThat(run(id).getInt("attempt")).isEqualTo(2);
        Api.as(launcherToken).post("/api/v1/workflow-runs/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void aDecisionTheApiRefusesShowsItsReasonBesideTheButtons() {
        String approver = "approver-" + tag();
        Api.token(approver, "operator");
        String workflow = workflow("Asks only", List.of(approval("review", "Go?", List.of(approver))), List.of());
        String id = RestAssured.given().post("/api/v1/workflows/" + workflow + "/launch").then().statusCode(201)
                .extract().path("id");
        openRun(id, "review", "waiting");
        assertThat(decisionOffered("review")).as("an admin decides any approval").isTrue();
        // the field stops typing at 1,000 characters; a longer value set by a script is the API's to refuse
        browser.script("document.querySelector(\"[data-comment='review']\").value = 'x'.repeat(1001)");
        browser.find("[data-decide='approve']").click();
        String error = "[data-decision-form='review'] .field-error";
        browser.until(() -> browser.find(error).isDisplayed());
        assertThat(browser.text(error)).contains("comment", "1000");
        assertThat(browser.find("[data-decide='approve']").isEnabled()).isTrue();
        assertThat(run(id).getString("status")).isEqualTo("running");
        assertThat(nodeState("review")).isEqualTo("waiting");
        RestAssured.given().post("/api/v1/workflow-runs/" + id + "/cancel").then().statusCode(200);
    }

    /** axe-core in every page, each with what it shows filled in: no serious or critical violation. */
    @Test
    void everyPageHasNoSeriousOrCriticalAccessibilityViolation() {
        String id = Api.submit(Api.job("accessible", "fail.yml"));
        Api.awaitTerminal(id);
        String template = template("params.yml", List.of(
                Map.of("name", "message", "type", "string", "description", "What the play shows"),
                Map.of("name", "count", "type", "integer", "default", 1, "min", 1, "max", 9),
                Map.of("name", "flavour", "type", "choice", "choices", List.of("vanilla", "mint")),
                Map.of("name", "dry_run", "type", "boolean"),
                Map.of("name", "regions", "type", "multichoice", "choices", List.of("eu", "us")),
                Map.of("name", "password", "type", "secret")));
        String listed = "#listing tbody tr, #listing-empty:not([hidden])"; // a listing page, loaded
        String hello = template("hello.yml", List.of());
        String workflow = workflow("Says hello twice", List.of(node("first", hello, Map.of()), node("second", hello, Map.of())),
                List.of(edge("first", "second", "always", "exitCode == 0")));
        String run = RestAssured.given().post("/api/v1/workflows/" + workflow + "/launch").then().statusCode(201)
                .extract().path("id");
        String schedule = "nightly-" + tag();
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", schedule, "template", hello,
                "cron", "30 2 * * *", "timeZone", "UTC", "startAt", "2099-01-01T00:00:00Z"))
                .post("/api/v1/schedules").then().statusCode(201);
        String inventory = "hosts-" + tag();
        String credential = "vault-" + tag();
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", credential, "kind", "vault",
                "password", "never-shown-vault-password", "description", "Opens the release vault"))
                .post("/api/v1/credentials").then().statusCode(201);
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", inventory,
                "hosts", Map.of("localhost", Map.of("ansible_python_interpreter", "/usr/bin/python3")),
                "groups", Map.of("local", Map.of("hosts", List.of("localhost"))))).post("/api/v1/inventories")
                .then().statusCode(201);
        Map<String, Object> uses = Api.job("vaulted-" + tag(), "hello.yml");
        uses.remove("inventory");
        uses.put("inventoryRef", inventory);
        uses.put("credentials", List.of(credential));
        RestAssured.given().contentType(ContentType.JSON).body(uses).post("/api/v1/templates").then().statusCode(201);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/", "#trend tbody tr");
        pages.put("/jobs", "#jobs tbody tr");
        pages.put("/jobs/" + id, "#hosts tr.host-failed");
        pages.put("/launch?template=" + template, "[data-parameter='password']");
        pages.put("/schedules", listed);
        pages.put("/schedules/" + schedule, "#item-sections .runs li");
        pages.put("/inventories", listed);
        pages.put("/inventories/" + inventory, "#item-sections a[href='/credentials/" + credential + "']");
        pages.put("/credentials", listed);
        pages.put("/credentials/" + credential, "#item-sections a[href='/inventories/" + inventory + "']");
        pages.put("/workflows", listed);
        pages.put("/workflows/" + workflow, "#runs tbody tr");
        pages.put("/workflow-runs/" + run, "#run-status .status-completed");
        pages.put("/tokens", listed);
        pages.put("/audit", listed);
        Map<String, List<String>> violations = new LinkedHashMap<>();
        pages.forEach((path, shown) -> {
            browser.open(path);
            browser.until(() -> !browser.all(shown).isEmpty());
            if (path.startsWith("/jobs/")) {
                browser.until(() -> browser.text("#log").contains("PLAY RECAP"));
            }
            violations.put(path, browser.accessibilityViolations());
            assertThat(browser.text("main")).as(path).doesNotContain("never-shown-vault-password");
        });
        browser.find("#sign-out").click();
        browser.until(() -> browser.path().equals("/signin"));
        violations.put("/signin", browser.accessibilityViolations());
        assertThat(violations).allSatisfy((path, found) -> assertThat(found).as(path).isEmpty());
        RestAssured.given().delete("/api/v1/schedules/" + schedule).then().statusCode(204);

        // and the check finds what it must: a field without a label is a critical violation
        browser.script("document.getElementById('main').append(document.createElement('input'))");
        assertThat(browser.accessibilityViolations()).anyMatch(found -> found.startsWith("label (critical)"));
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
