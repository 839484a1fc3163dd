package io.charon.jobs.support;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.restassured.RestAssured;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import org.awaitility.core.ConditionTimeoutException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;

import static org.awaitility.Awaitility.await;

/**
 * Debian's headless chromium driven through chromium-driver, one for the whole test run: it
 * starts on first use and quits when the JVM ends. Pages are opened on the port of the running
 * {@code @QuarkusTest} application.
 */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static Browser shared;

    private final ChromeDriver driver;
    /** The port of the service whose pages are opened: the running {@code @QuarkusTest} application's unless set. */
    private int port = -1;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** The shared browser; fails (never skips) when chromium or its driver is missing: .ci/run installs them. */
    public static synchronized Browser get() {
        if (shared == null) {
            if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
                throw new IllegalStateException("chromium and chromium-driver are needed: apt-get install -y"
                        + " --no-install-recommends chromium chromium-driver (as .ci/run does)");
            }
            shared = new Browser(start());
            Runtime.getRuntime().addShutdownHook(new Thread(shared.driver::quit));
        }
        return shared;
    }

    private static ChromeDriver start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("charon-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--window-size=1360,1000", "--user-data-dir=" + profile);
        // an alert left open is looked for by the tests, not dismissed by the driver
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a page of the service under test, e.g. {@code "/jobs"}. */
    public void open(String path) {
        driver.get("http://localhost:" + (port > 0 ? port : RestAssured.port) + path);
    }

    /** Opens the pages of the service on {@code port} from now on (a packaged service an integration test started). */
    public void serving(int port) {
        this.port = port;
    }

    /** Leaves the service's pages for a blank one, closing their streams. */
    public void leave() {
        driver.get("about:blank");
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    /** Forgets the tab's sign-in and signs in with {@code token} through the sign-in page. */
    public void signIn(String token) {
        open("/signin");
        script("sessionStorage.clear()");
        open("/signin");
        until(() -> path().equals("/signin"));
        WebElement field = driver.findElement(By.id("token"));
        field.sendKeys(token);
        driver.findElement(By.id("signin-submit")).click();
        until(() -> path().equals("/"));
        until(() -> find("#who").isDisplayed());
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The text of the first element {@code css} selects, or "" while there is none. */
    public String text(String css) {
        List<WebElement> found = all(css);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** A command of the Chrome DevTools protocol, e.g. {@code "HeapProfiler.collectGarbage"}; its result. */
    public Map<String, Object> devTools(String command, Map<String, Object> parameters) {
        return driver.executeCdpCommand(command, parameters);
    }

    /**
     * axe-core's serious and critical violations on the page as it is now, one line each (rule,
     * impact, help, where): Deque's Selenium integration puts axe-core into the page through
     * WebDriver (so the page's Content-Security-Policy needs no exception) and runs it there.
     */
    public List<String> accessibilityViolations() {
        // the pages have no frames: axe.run in the page itself, without the blank window that
        // collecting frames' results takes
        Results results = new AxeBuilder().disableIframeTesting().setLegacyMode(true).analyze(driver);
        return results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                .map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                        + rule.getNodes().stream().limit(5).map(node -> String.valueOf(node.getTarget())).toList())
                .toList();
    }

    /**
     * Polls the page until {@code condition} holds; when it never does, the failure names the page
     * and its console, and a screenshot of it is saved as {@code failure.png}.
     */
    public void until(Supplier<Boolean> condition) {
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition::get);
        } catch (ConditionTimeoutException e) {
            screenshot("failure");
            throw new AssertionError("the page " + driver.getCurrentUrl() + " never got there; its console: "
                    + console(Level.ALL).stream().map(LogEntry::getMessage).toList(), e);
        }
    }

    /** Whether an alert, confirm or prompt dialog is open. */
    public boolean dialogOpen() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    /** The console messages (and page errors) since the last call, at {@code level} or above. */
    public List<LogEntry> console(Level level) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= level.intValue()).toList();
    }

    /** Saves what the window shows as a PNG under target/dashboard-screenshots. */
    public Path screenshot(String name) {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        try {
            Path target = Path.of("target", "dashboard-screenshots", name + ".png");
            Files.createDirectories(target.getParent());
            return Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
