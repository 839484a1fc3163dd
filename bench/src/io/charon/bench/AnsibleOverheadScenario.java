package io.charon.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 5, ansible-overhead: what the service adds to a trivial real playbook. The same
 * hello.yml on localhost runs bare ({@code ansible-playbook -i localhost, -c local
 * -e ansible_python_interpreter=... hello.yml}, naming the interpreter as the service's inventory
 * does, so neither side pays for Ansible's interpreter discovery)
 * and through the service (POST, then {@code GET /jobs/{id}/wait} until completed), alternately,
 * so that both see the same machine load. Overhead = median through the service − median bare.
 * The job's own {@code duration} field (its claim to its end, as the service recorded them) is
 * shown too: it leaves out the submission and the wait's answer.
 */
final class AnsibleOverheadScenario extends Scenario {

    static final Figure BARE = Figure.info("bare ansible-playbook median", "ms", 0);
    /** What the service's inventory sets for localhost, so the bare run skips interpreter discovery too. */
    static final String SAME_INTERPRETER = "ansible_python_interpreter={{ ansible_playbook_python }}";
    static final Figure SERVICE = Figure.info("through the service (POST -> completed) median", "ms", 0);
    static final Figure DURATION = Figure.info("job duration field median", "ms", 0);
    static final Figure OVERHEAD = Figure.atMost("overhead at the median", "ms", 0, 50);
    static final Figure DURATION_OVERHEAD = Figure.info("overhead by the duration field", "ms", 0);

    @Override
    String name() {
        return "ansible-overhead";
    }

    @Override
    String summary() {
        return "hello.yml on localhost through the service vs ansible-playbook run bare";
    }

    @Override
    Map<String, String> settings(Options options) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ansible-runs", options.text("ansible-runs"));
        settings.put("run-dirs", options.text("run-dirs"));
        settings.put("bare", "ansible-playbook -i localhost, -c local -e " + SAME_INTERPRETER
                + " src/test/resources/playbooks/hello.yml");
        return settings;
    }

    @Override
    String unavailable(Options options) {
        return ansiblePlaybook() == null ? "ansible-playbook is not on the PATH" : null;
    }

    @Override
    RunFigures runOnce(RunContext run) throws Exception {
        int pairs = run.options().integer("ansible-runs");
        // the service's defaults: the real ansible-playbook from the PATH
        ServiceUnderTest service = run.start(run.service("service"));
        Path playbook = run.layout().playbookDir().resolve("hello.yml");
        if (!run.smoke()) {
            // first runs compile Ansible's Python modules and the service's run path
            bare(playbook);
            throughService(service.client(), "warmup");
        }
        double[] bare = new double[pairs];
        double[] served = new double[pairs];
        double[] duration = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            bare[i] = bare(playbook);
            double[] s = throughService(service.client(), "overhead-" + i);
            served[i] = s[0];
            duration[i] = s[1];
        }
        double bareMedian = Stats.median(bare);
        return new RunFigures()
                .put(BARE, bareMedian)
                .put(SERVICE, Stats.median(served))
                .put(DURATION, Stats.median(duration))
                .put(OVERHEAD, Stats.median(served) - bareMedian)
                .put(DURATION_OVERHEAD, Stats.median(duration) - bareMedian);
    }

    /** Wall time of one bare run in ms. */
    private static double bare(Path playbook) throws IOException, InterruptedException {
        long began = System.nanoTime();
        Process process = new ProcessBuilder(List.of("ansible-playbook", "-i", "localhost,", "-c", "local",
                "-e", SAME_INTERPRETER, playbook.toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new ScenarioFailure("bare ansible-playbook did not finish within 120 s");
        }
        if (process.exitValue() != 0) {
            throw new ScenarioFailure("bare ansible-playbook exited with " + process.exitValue());
        }
        return (System.nanoTime() - began) / 1e6;
    }

    /** POST -> completed through the wait endpoint, and the job's duration field, both in ms. */
    private static double[] throughService(ServiceClient client, String name) {
        long began = System.nanoTime();
        String id = (String) client.submit(name, null).get("id");
        Map<String, Object> job = client.waitFor(id, Duration.ofMinutes(2));
        double elapsed = (System.nanoTime() - began) / 1e6;
        if (!"completed".equals(job.get("status"))) {
            throw new ScenarioFailure("job " + id + " ended " + job.get("status") + ": " + job.get("errorMessage"));
        }
        return new double[]{elapsed, Duration.parse((String) job.get("duration")).toNanos() / 1e6};
    }

    private static Path ansiblePlaybook() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "ansible-playbook");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
