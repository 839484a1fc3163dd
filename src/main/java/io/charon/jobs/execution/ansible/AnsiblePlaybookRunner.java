package io.charon.jobs.execution.ansible;

import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.execution.ExecutionOutcome.Kind;
import io.charon.jobs.execution.ExecutionRequest;
import io.charon.jobs.execution.LogFiles;
import io.charon.jobs.execution.PlaybookLocator;
import io.charon.jobs.execution.PlaybookRunner;
import io.charon.jobs.execution.ProcessTree;
import io.charon.jobs.execution.ProgressListener;
import io.charon.jobs.execution.RunHandle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ansible-playbook} as a process, never through a shell, in a private per-run
 * directory holding the inventory and the variables file. Standard output goes straight to the
 * job's log file; standard error goes to a file that is tailed for the callback plugin's
 * progress lines, everything else from it being appended to the log.
 */
@ApplicationScoped
@Typed(AnsiblePlaybookRunner.class) // injected as a PlaybookRunner through RunnerSelection
public class AnsiblePlaybookRunner implements PlaybookRunner {

    /** The JDK's way of starting processes, unless the operator chose one with this system property. */
    static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

    static {
        // vfork starts processes about twice as fast as the JDK 17 default (posix_spawn through
        // jspawnhelper): 230 against 123 bare shells a second from 32 threads on a 2-core machine.
        // It takes effect if set before the JDK starts its first process, which the runner does first.
        if (System.getProperty(LAUNCH_MECHANISM) == null) {
            System.setProperty(LAUNCH_MECHANISM, "VFORK");
        }
    }

    /** How often a running playbook's progress file is read, and its timeout checked. */
    static final long POLL_MILLIS = 25;
    /** In each run directory: the owning instance and the process id, one per line. */
    static final String OWNER_FILE = "owner";

    private final AnsibleConfig ansible;
    private final JobsConfig jobs;
    private final PlaybookLocator playbooks;
    private final CallbackPlugin plugin;
    private final SecureRandom random = new SecureRandom();

    public AnsiblePlaybookRunner(AnsibleConfig ansible, JobsConfig jobs, PlaybookLocator playbooks, CallbackPlugin plugin) {
        this.ansible = ansible;
        this.jobs = jobs;
        this.playbooks = playbooks;
        this.plugin = plugin;
    }

    @Override
    public ExecutionOutcome run(ExecutionRequest request, ProgressListener progress, RunHandle handle) {
        Path runDir = ansible.workDir().resolve(request.runId()).toAbsolutePath();
        try (OutputStream log = openLog(request.logFile())) {
            try {
                return execute(request, runDir, log, progress, handle);
            } catch (LaunchFailure e) {
                writeLine(log, "charon-jobs: " + e.getMessage());
                return ExecutionOutcome.launchFailed(e.getMessage());
            }
        } catch (IOException e) {
            return ExecutionOutcome.launchFailed("cannot write the job's files: " + e.getMessage());
        } finally {
            AnsibleFiles.deleteRecursively(runDir);
        }
    }

    private ExecutionOutcome execute(ExecutionRequest request, Path runDir, OutputStream log,
                                     ProgressListener progress, RunHandle handle) throws IOException {
        Path playbook;
        try {
            playbook = playbooks.resolve(request.playbook());
        } catch (PlaybookLocator.UnusablePlaybookException e) {
            throw new LaunchFailure("playbook " + request.playbook() + " " + e.getMessage());
        }
        AnsibleFiles.privateDirectory(runDir);
        Path inventory = AnsibleFiles.writeInventory(runDir, request.inventory());
        Path variables = AnsibleFiles.writeVariables(runDir, request.variables());
        Path stderr = Files.createFile(runDir.resolve("stderr.log"));
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        String prefix = "@@charon-" + HexFormat.of().formatHex(nonce) + "@@";

        ProcessBuilder builder = new ProcessBuilder(List.of(ansible.command(),
                "-i", inventory.toString(), "-e", "@" + variables, playbook.toString()))
                .directory(runDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(request.logFile().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        environment(builder.environment(), runDir, prefix);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LaunchFailure("cannot start " + ansible.command() + ": " + rootMessage(e));
        }
        handle.attach(process.toHandle());
        Files.writeString(runDir.resolve(OWNER_FILE), request.owner() + "\n" + process.pid() + "\n");

        CallbackEvents events = new CallbackEvents(progress);
        List<String> errorLines = new ArrayList<>();
        long deadline = System.nanoTime() + request.timeout().toNanos();
        int exit;
        boolean interrupted = false;
        try (LineTail tail = new LineTail(stderr)) {
            var sink = stderrSink(prefix, events, errorLines, log);
            while (true) {
                try {
                    if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    // the worker is being stopped: stop the run, and keep waiting for its processes to go
                    interrupted = true;
                    handle.stop(Kind.INTERRUPTED);
                }
                tail.drain(sink, false);
                if (System.nanoTime() - deadline > 0) {
                    handle.stop(Kind.TIMED_OUT);
                }
            }
            exit = process.exitValue();
            tail.drain(sink, true);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        log.flush();
        String outputTail = LogFiles.tail(request.logFile(), jobs.outputTailBytes());
        Kind stopped = handle.stopReason().orElse(null);
        if (stopped != null) {
            return new ExecutionOutcome(stopped, exit, stopMessage(stopped, request), outputTail, events.stats());
        }
        if (exit == 0) {
            return new ExecutionOutcome(Kind.SUCCEEDED, 0, null, outputTail, events.stats());
        }
        String error = events.firstFailure() != null ? events.firstFailure()
                : !errorLines.isEmpty() ? errorLines.get(errorLines.size() - 1)
                : ansible.command() + " exited with code " + exit;
        return new ExecutionOutcome(Kind.FAILED, exit, error, outputTail, events.stats());
    }

    @Override
    public int stopAbandonedRuns(String owner) {
        Path workDir = ansible.workDir().toAbsolutePath();
        if (!Files.isDirectory(workDir)) {
            return 0;
        }
        int stopped = 0;
        try (var runDirs = Files.list(workDir)) {
            for (Path runDir : runDirs.filter(dir -> Files.isRegularFile(dir.resolve(OWNER_FILE))).toList()) {
                List<String> lines = Files.readAllLines(runDir.resolve(OWNER_FILE));
                if (lines.size() < 2 || !lines.get(0).equals(owner)) {
                    continue;
                }
                // the pid may have been reused since: only a process working in this run directory is ours
                var process = ProcessHandle.of(Long.parseLong(lines.get(1).trim()))
                        .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(runDir.toString()))
                                .orElse(false));
                if (process.isPresent()) {
                    ProcessTree.terminate(process.get(), ansible.killGrace());
                    stopped++;
                }
                AnsibleFiles.deleteRecursively(runDir);
            }
        } catch (IOException | NumberFormatException e) {
            // a run directory that cannot be read holds no process we could identify
        }
        return stopped;
    }

    private java.util.function.Consumer<String> stderrSink(String prefix, CallbackEvents events,
                                                           List<String> errorLines, OutputStream log) {
        return line -> {
            if (line.startsWith(prefix) && events.accept(line.substring(prefix.length()))) {
                return;
            }
            if (line.startsWith("ERROR!") || line.startsWith("[ERROR]")) {
                errorLines.add(line.length() > 1000 ? line.substring(0, 1000) : line);
            }
            writeLine(log, line);
        };
    }

    private void environment(Map<String, String> env, Path runDir, String prefix) {
        env.put("ANSIBLE_CALLBACK_PLUGINS", plugin.directory().toString());
        env.put("ANSIBLE_CALLBACKS_ENABLED", CallbackPlugin.NAME);
        env.put("CHARON_EVENT_PREFIX", prefix);
        env.put("ANSIBLE_LOCAL_TEMP", runDir.resolve("tmp").toString());
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
        env.put("ANSIBLE_NOCOLOR", "true");
        env.put("ANSIBLE_FORCE_COLOR", "false");
        env.put("PYTHONUNBUFFERED", "1");
    }

    private static String stopMessage(Kind stopped, ExecutionRequest request) {
        return switch (stopped) {
            case TIMED_OUT -> "timed out after " + request.timeout();
            case CANCELLED -> "cancelled while running";
            case INTERRUPTED -> "interrupted: the service stopped while it ran";
            default -> stopped.name();
        };
    }

    private static OutputStream openLog(Path logFile) throws IOException {
        Files.createDirectories(logFile.getParent());
        if (!Files.exists(logFile)) {
            Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.newOutputStream(logFile, StandardOpenOption.APPEND);
    }

    private static void writeLine(OutputStream log, String line) {
        try {
            log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int errorAt = message.indexOf("error=");
        return errorAt >= 0 ? message.substring(message.indexOf(',', errorAt) + 1).trim() : message;
    }

    /** The run could not start; the message says why and goes to the log and the job. */
    private static final class LaunchFailure extends IOException {
        LaunchFailure(String message) {
            super(message);
        }
    }
}
