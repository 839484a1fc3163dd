package io.charon.jobs.dashboard;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Browser;
import io.charon.jobs.support.DefaultToken;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's results on its page, in real headless chromium with the real ansible-playbook: a check
 * launched from either form is marked as one and shows its diff, by host and task, once it ends
 * (without a reload), and says when the diff was cut short; artifacts as a table; markup in
 * artifacts and in a diff shows as text; axe-core on the page with these sections shown. The same
 * Quarkus start as {@link DashboardTest}.
 */
@QuarkusTest
@Tag("store-independent") // the pages read the API, whose storage the API tests cover on both stores
class DashboardJobResultsTest {

    private final Browser browser = Browser.get();
    private int workers;
    private Path dir;

    @BeforeEach
    void signInAsAdmin() throws IOException {
        workers = Api.workers().getInt("workerCount");
        dir = Files.createTempDirectory("charon-dashboard-results");
        browser.signIn(DefaultToken.ADMIN);
    }

    @AfterEach
    void restoreThePoolAndLeaveThePage() throws IOException {
        Api.setWorkers(workers);
        browser.leave(); // closes the page's streams, as DashboardTest does
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private List<String> texts(String css) {
        return browser.all(css).stream().map(WebElement::getText).toList();
    }

    @Test
    void aCheckLaunchedFromATemplateShowsItsDiffOnceItEndsAndChangesNothing() throws IOException {
        Path file = dir.resolve("motd");
        Files.writeString(file, "before\nkept\n");
        String template = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = Api.job(template, "change-file.yml");
        body.put("variables", Map.of("path", file.toString(), "content", "after"));
        RestAssured.given().contentType(ContentType.JSON).body(body).post("/api/v1/templates").then().statusCode(201);
        Api.setWorkers(0);

        browser.open("/launch?template=" + template);
        browser.until(() -> template.equals(browser.script("return document.getElementById('t-template').value")));
        new Select(browser.find("#t-mode")).selectByValue("check");
        browser.find("#template-submit").click();
        browser.until(() -> browser.path().startsWith("/jobs/"));
        String id = browser.path().substring("/jobs/".length());
        browser.until(() -> browser.text("#job-status").equals("queued"));
        assertThat(browser.text("#job-check")).isEqualTo("Check mode: nothing was changed.");
        assertThat(browser.text("#job-facts")).contains("Mode\ncheck");
        assertThat(browser.find("#diff-pending").isDisplayed()).isTrue();
        browser.script("window.charonMarker = 'still here'");

        Api.setWorkers(workers);
        browser.until(() -> browser.text("#job-status").equals("completed"));
        String lines = "#diff .diff-host[data-host='localhost'] .diff-task ";
        browser.until(() -> !browser.all(lines + ".diff-add").isEmpty());
        assertThat(browser.script("return window.charonMarker")).as("the page was not reloaded").isEqualTo("still here");
        assertThat(texts("#diff h3")).containsExactly("localhost");
        assertThat(texts("#diff h4")).containsExactly("Write the file");
        assertThat(texts(lines + ".diff-file")).hasSize(2).allMatch(line -> line.startsWith("--- ") || line.startsWith("+++ "));
        assertThat(texts(lines + ".diff-del")).containsExactly("-before", "-kept");
        assertThat(texts(lines + ".diff-add")).containsExactly("+after");
        assertThat(browser.find("#diff-pending").isDisplayed()).isFalse();
        assertThat(browser.find("#diff-truncated").isDisplayed()).isFalse();
        assertThat(Files.readString(file)).isEqualTo("before\nkept\n");
        assertThat(Api.get(id).getString("mode")).isEqualTo("check");
        assertThat(browser.accessibilityViolations()).as("a check's page with its diff").isEmpty();
    }

    @Test
    void aRawCheckShowsItsArtifactsAsATableAndThatNothingWouldChange() {
        browser.open("/launch");
        browser.until(() -> browser.find("#launch-form").isDisplayed());
        browser.find("#l-name").sendKeys("publishes");
        browser.find("#l-playbook").sendKeys("publish.yml");
        browser.find("#l-inventory").sendKeys("localhost");
        browser.find("#l-variables").sendKeys("level=high");
        new Select(browser.find("#l-mode")).selectByValue("check");
        browser.find("#launch-submit").click();
        browser.until(() -> browser.path().startsWith("/jobs/"));
        String id = browser.path().substring("/jobs/".length());

        browser.until(() -> browser.text("#job-status").equals("completed"));
        browser.until(() -> browser.find("#diff-empty").isDisplayed());
        assertThat(Api.get(id).getString("mode")).isEqualTo("check");
        assertThat(browser.find("#job-check").isDisplayed()).isTrue();
        assertThat(browser.find("#artifacts-empty").isDisplayed()).isFalse();
        assertThat(texts("#artifacts tbody th")).containsExactlyInAnyOrder("level", "count", "nested", "raw", "padding");
        assertThat(browser.text("#artifacts tr[data-key='level'] td")).isEqualTo("high");
        assertThat(browser.text("#artifacts tr[data-key='count'] td")).isEqualTo("2");
        assertThat(browser.text("#artifacts tr[data-key='raw'] td")).isEqualTo("{{ 7 * 6 }}");
        assertThat(browser.script("return document.querySelector(\"#artifacts tr[data-key='nested'] td pre\").textContent"))
                .isEqualTo("{\n  \"list\": [\n    1,\n    2\n  ]\n}");
        assertThat(browser.all("#diff .diff-host")).isEmpty();
    }

    @Test
    void aDiffOverTheSizeLimitSaysSoAndTheItemsOfALoopShareTheirTask() {
        List<String> paths = Stream.of("a", "b", "c").map(name -> dir.resolve(name).toString()).toList();
        Map<String, Object> body = Api.job("large check", "change-files.yml");
        body.put("variables", Map.of("paths", String.join(",", paths)));
        body.put("mode", "check");
        String id = Api.submit(body);
        assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");

        browser.open("/jobs/" + id);
        browser.until(() -> browser.find("#diff-truncated").isDisplayed());
        // three diffs of about 100 KB against charon.jobs.diff-max-bytes (256 KiB): two are kept
        assertThat(texts("#diff h4")).containsExactly("Write the files");
        assertThat(browser.all("#diff .diff-task pre.diff")).hasSize(2);
        assertThat(browser.script("return document.querySelectorAll('#diff .diff-add').length")).isEqualTo(3200L);
        assertThat(paths).noneMatch(path -> Files.exists(Path.of(path)));
    }

    @Test
    void aRunHasNoDiffAndSaysWhenItPublishedNothing() {
        String id = Api.submit(Api.job("runs", "hello.yml"));
        browser.open("/jobs/" + id);
        browser.until(() -> browser.text("#job-status").equals("completed"));
        browser.until(() -> browser.text("#log").contains("PLAY RECAP"));
        assertThat(browser.text("#job-facts")).contains("Mode\nrun");
        assertThat(browser.find("#artifacts-empty").isDisplayed()).isTrue();
        assertThat(browser.find("#job-check").isDisplayed()).isFalse();
        assertThat(browser.find("#diff-section").isDisplayed()).isFalse();
    }

    @Test
    void markupInArtifactsTaskNamesAndDiffsShowsAsText() throws IOException {
        browser.console(Level.ALL); // drop what came before
        Path file = dir.resolve("page.html");
        Files.writeString(file, "<script>alert(11)</script>\n-- kept\n");
        Map<String, Object> body = Api.job("markup results", "markup-results.yml");
        body.put("variables", Map.of("path", file.toString(), "content", "<img src=x onerror=alert(12)>"));
        body.put("mode", "check");
        String id = Api.submit(body);
        assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");

        browser.open("/jobs/" + id);
        browser.until(() -> !browser.all("#diff .diff-add").isEmpty());
        assertThat(texts("#diff h4")).containsExactly("Write <img src=x onerror=alert(10)>");
        assertThat(texts("#diff .diff-add")).containsExactly("+<img src=x onerror=alert(12)>");
        // "--- kept" is a removed line, not a file header
        assertThat(texts("#diff .diff-del")).containsExactly("-<script>alert(11)</script>", "--- kept");
        assertThat(browser.text("#artifacts tr[data-key='markup'] td")).isEqualTo("<script>alert(6)</script>");
        assertThat(browser.text("#artifacts tr[data-key='nested'] td pre"))
                .contains("\"<b onmouseover=alert(7)>list</b>\"", "\"<svg onload=alert(8)>\"", "\"</pre><img src=x onerror=alert(9)>\"");
        assertThat(browser.accessibilityViolations()).as("a check's page with artifacts and a diff").isEmpty();

        assertThat(browser.all("main img, main script, main b, main svg, main i")).isEmpty();
        assertThat(browser.dialogOpen()).as("a dialog opened").isFalse();
        assertThat(browser.console(Level.WARNING)).as("console errors and warnings").isEmpty();
    }
}
