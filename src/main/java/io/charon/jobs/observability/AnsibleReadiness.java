package io.charon.jobs.observability;

import io.charon.jobs.config.AnsibleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ready while {@code charon.ansible.command} runs: {@code --version} must answer with exit code 0
 * (its first line, e.g. {@code ansible-playbook [core 2.14.18]}, is reported). The answer is kept
 * for {@link #RECHECK_AFTER}, so probes start at most one process per that period.
 *
 * <p>Only a failing answer makes the service unready. A recheck runs in the background, up to
 * {@link #GIVE_UP_AFTER} (a loaded machine: Python's start-up alone can take seconds), and until it
 * answers the last answer stands, so a probe never waits for it. Only the first answer is waited
 * for, at most {@link #ANSWER_WITHIN}; until it comes the service is not ready yet.
 */
@Readiness
@ApplicationScoped
public class AnsibleReadiness implements HealthCheck {

    static final Duration RECHECK_AFTER = Duration.ofSeconds(30);
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    /** A {@code --version} still running after this is stuck rather than slow, and counts as failed. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);

    private final String command;
    private final Cached<Probe> probe;

    /** What {@code --version} said. */
    record Probe(boolean runs, String answer) {
    }

    public AnsibleReadiness(AnsibleConfig ansible, Clock clock) {
        this.command = ansible.command();
        this.probe = new Cached<>(clock, RECHECK_AFTER, ANSWER_WITHIN, AnsibleReadiness::askInBackground, this::askVersion);
    }

    private static void askInBackground(Runnable ask) {
        Thread thread = new Thread(ask, "charon-ansible-probe");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public HealthCheckResponse call() {
        Probe answer = probe.get();
        var response = HealthCheckResponse.named("ansible").withData("command", command);
        if (answer == null) {
            return response.down()
                    .withData("reason", command + " --version has not answered yet within " + ANSWER_WITHIN).build();
        }
        if (probe.refreshing()) {
            response.withData("pending", command + " --version is slow to answer; its last answer stands");
        }
        return response.status(answer.runs())
                .withData(answer.runs() ? "version" : "reason", answer.answer())
                .withData("checkedAt", probe.computedAt().toString())
                .build();
    }

    private Probe askVersion() {
        Process process;
        try {
            process = new ProcessBuilder(command, "--version")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return new Probe(false, "cannot run " + command + ": " + e.getMessage());
        }
        try {
            // the version text is a few lines: it fits the pipe, so waiting before reading cannot block
            if (!process.waitFor(GIVE_UP_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Probe(false, command + " --version did not answer within " + GIVE_UP_AFTER);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String firstLine = output.lines().findFirst().orElse("");
            if (process.exitValue() != 0) {
                return new Probe(false, command + " --version exited with code " + process.exitValue() + ": " + firstLine);
            }
            return new Probe(true, firstLine);
        } catch (IOException e) {
            return new Probe(false, "cannot read the answer of " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return new Probe(false, "interrupted while asking " + command + " for its version");
        }
    }
}
