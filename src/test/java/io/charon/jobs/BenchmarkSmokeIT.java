package io.charon.jobs;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark suite (bench/, see bench/README.md) at smoke size against the packaged service:
 * every scenario's mechanics work (jobs submitted, drained, dispatched, seeded and read back),
 * in about two minutes. Speed targets are not judged at these sizes; a scenario that breaks
 * fails {@code bench/run}, and so this test. Uses the jar that {@code ./mvnw verify} just packaged
 * ({@code --no-build}). Run alone with
 * {@code ./mvnw verify -Dit.test=BenchmarkSmokeIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BenchmarkSmokeIT {

    static final List<String> SCENARIOS = List.of("floors", "submit", "drain-process", "drain-noop", "dispatch-latency",
            "ansible-overhead", "scale", "memory", "sse-fanout", "host-locks");
    static final Duration TIMEOUT = Duration.ofMinutes(8);

    @Test
    void everyScenarioRunsAtSmokeSize() throws Exception {
        assertThat(Path.of("target/quarkus-app/quarkus-run.jar")).as("packaged by ./mvnw verify").exists();
        assertThat(Path.of("bench/run")).as("run from the repository root").exists();

        Process bench = new ProcessBuilder("bash", "bench/run", "--smoke", "--no-build", "all")
                .redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread pump = new Thread(() -> copyLines(bench, output), "bench-output");
        pump.start();

        boolean finished = bench.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            // the bench and the services it started: this test started them, so it stops them
            bench.descendants().forEach(ProcessHandle::destroyForcibly);
            bench.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        pump.join(TimeUnit.SECONDS.toMillis(30));

        List<String> lines = List.copyOf(output);
        List<String> results = lines.stream().filter(line -> line.startsWith("RESULT ")).toList();
        // the result lines, and what led to the first failure, go into the failure message: a CI
        // log may keep only the last lines of the build, and the failing scenario must show there
        String evidence = "\nresult lines:\n" + String.join("\n", results) + "\n" + beforeFirstFailure(lines);
        assertThat(finished).as("bench/run --smoke all finished within %s%s", TIMEOUT, evidence).isTrue();
        assertThat(bench.exitValue()).as("exit code of bench/run --smoke --no-build all; the service logs are in"
                + " bench/target/logs/%s", evidence).isZero();
        for (String scenario : SCENARIOS) {
            String expected = "RESULT " + scenario + ": SMOKE OK";
            assertThat(results).as("result line of %s", scenario).anyMatch(line -> line.startsWith(expected));
        }
        assertThat(results).noneMatch(line -> line.contains(": FAILED"));
    }

    /** The lines that led up to the first failed scenario's result, or to the end when none failed. */
    private static String beforeFirstFailure(List<String> lines) {
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("RESULT ") && lines.get(i).contains(": FAILED")) {
                end = i + 1;
                break;
            }
        }
        return "the bench's output up to there:\n" + String.join("\n", lines.subList(Math.max(0, end - 15), end));
    }

    /** Streams the bench's output into the test log as it comes, and keeps it for the assertions. */
    private static void copyLines(Process bench, List<String> output) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(bench.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("bench | " + line);
                output.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
