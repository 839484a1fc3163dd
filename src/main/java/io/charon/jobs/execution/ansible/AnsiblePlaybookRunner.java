package io.charon.jobs.execution.ansible;

import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.config.ChildEnvironment;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.execution.ExecutionOutcome.Kind;
import io.charon.jobs.execution.ExecutionRequest;
import io.charon.jobs.execution.Executables;
import io.charon.jobs.execution.LogFiles;
import io.charon.jobs.execution.PlaybookLocator;
import io.charon.jobs.execution.PlaybookRunner;
import io.charon.jobs.execution.ProcessTree;
import io.charon.jobs.execution.ProgressListener;
import io.charon.jobs.execution.RunHandle;
import io.charon.jobs.job.JobMode;
import io.charon.jobs.job.RunDiff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import org.jboss.logging.Logger;

import io.charon.jobs.security.SecretBox;
import io.charon.jobs.security.SecretMask;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code ansible-playbook} as a process, never through a shell, in a private per-run
 * directory holding the inventory and the variables files (secret variables in a file of their
 * own, deleted as soon as the process ends). Standard output is read from its pipe at every poll
 * and appended to the job's log file; standard error goes to a file that is tailed for the
 * callback plugin's progress lines, everything else from it being appended to the log. Every line
 * has the job's secret values masked before it is written or turned into an event.
 * <p>
 * A job that names a stored inventory or credentials reaches its hosts through a
 * {@link HostConnection}: its files, its ssh-agent and ssh's options, set up before the process
 * starts and taken down when it ends.
 * <p>
 * Each playbook leads a session (and process group) of its own, started through {@code setsid}:
 * a signal to the service's process group (Ctrl-C in a terminal, a service manager stopping the
 * service) reaches the service only, which decides when its runs stop.
 * <p>
 * Over 300 lines: the life of one process (start, poll, stop, clean up) kept in one place; the
 * files, callback events and log tails are classes of their own.
 */
@ApplicationScoped
@Typed(AnsiblePlaybookRunner.class) // injected as a PlaybookRunner through RunnerSelection
public class AnsiblePlaybookRunner implements PlaybookRunner {

    /** How often a running playbook's progress file is read, and its timeout and idle time checked. */
    static final long POLL_MILLIS = 25;
    /** In each run directory: the owning instance and the process id, one per line. */
    static final String OWNER_FILE = "owner";

    private static final Logger LOG = Logger.getLogger(AnsiblePlaybookRunner.class);
    /** Beyond the run's timeout and kill grace: how long the run's ssh-agent keeps the key at most. */
    private static final Duration KEY_LIFETIME_ALLOWANCE = Duration.ofMinutes(1);

    private final AnsibleConfig ansible;
    private final JobsConfig jobs;
    private final PlaybookLocator playbooks;
    private final CallbackPlugin plugin;
    private final SecureRandom random = new SecureRandom();
    private final SecretBox secretBox;
    /** util-linux's setsid, which starts a command in a new session; absent on some machines. */
    private final Optional<Path> setsid;
    /** Where the command was last found, so that a run looks it up again only when it is gone. */
    private volatile Path executable;
    private final Clock clock;

    public AnsiblePlaybookRunner(AnsibleConfig ansible, JobsConfig jobs, PlaybookLocator playbooks, CallbackPlugin plugin,
                                 SecretBox secretBox, Clock clock) {
        this.secretBox = secretBox;
        this.clock = clock;
        this.ansible = ansible;
        this.jobs = jobs;
        this.playbooks = playbooks;
        this.plugin = plugin;
        this.setsid = Executables.find("setsid", System.getenv("PATH"), Path.of("").toAbsolutePath());
        if (setsid.isEmpty()) {
            LOG.warn("setsid (util-linux) is not on PATH: playbooks run in the service's process group, so a signal to"
                    + " that group (Ctrl-C, a service manager's stop) also stops them");
        }
    }

    @Override
    public ExecutionOutcome run(ExecutionRequest request, ProgressListener progress, RunHandle handle) {
        Path runDir = ansible.workDir().resolve(request.runId()).toAbsolutePath();
        try {
            return execute(request, runDir, progress, handle);
        } catch (LaunchFailure e) {
            try (OutputStream log = openLog(request.logFile())) {
                writeLine(log, "charon-jobs: " + e.getMessage());
            } catch (IOException | java.io.UncheckedIOException logUnwritable) {
                // the outcome still carries the reason
            }
            return ExecutionOutcome.launchFailed(e.getMessage());
        } catch (IOException e) {
            return ExecutionOutcome.launchFailed("cannot write the job's files: " + e.getMessage());
        } finally {
            AnsibleFiles.deleteRecursively(runDir);
        }
    }

    private ExecutionOutcome execute(ExecutionRequest request, Path runDir, ProgressListener progress,
                                     RunHandle handle) throws IOException {
        Path playbook;
        try {
            playbook = playbooks.resolve(request.playbook());
        } catch (PlaybookLocator.UnusablePlaybookException e) {
            throw new LaunchFailure("playbook " + request.playbook() + " " + e.getMessage());
        }
        Map<String, String> secrets = openSecrets(request);
        AnsibleFiles.privateDirectory(runDir);
        if (!secrets.isEmpty() || request.access() != null) {
            // claimed before any secret is written, so that a restart after a crash finds and removes it
            Files.writeString(runDir.resolve(OWNER_FILE), request.owner() + "\n");
        }
        List<String> command = new ArrayList<>(launcher(runDir));
        // a job that reaches its hosts over SSH: null for a plain job, which runs as it always did
        try (HostConnection connection = HostConnection.open(request.access(), request.onlyHosts(), runDir, secretBox,
                request.timeout().plus(ansible.killGrace()).plus(KEY_LIFETIME_ALLOWANCE))) {
            List<String> masked = new ArrayList<>(secrets.values());
            if (connection == null) {
                command.addAll(List.of("-i", AnsibleFiles.writeInventory(runDir, request.inventory()).toString()));
                if (!request.onlyHosts().isEmpty()) {
                    command.add(AnsibleFiles.limit(runDir, request.onlyHosts()));
                }
            } else {
                masked.addAll(connection.secrets());
                command.addAll(connection.arguments());
            }
            SecretMask mask = SecretMask.of(masked);
            return runProcess(request, runDir, playbook, secrets, mask, command, connection, progress, handle);
        }
    }

    /** Starts the playbook with its inventory arguments in {@code command}, and watches it to its end. */
    private ExecutionOutcome runProcess(ExecutionRequest request, Path runDir, Path playbook, Map<String, String> secrets,
                                        SecretMask mask, List<String> command, HostConnection connection,
                                        ProgressListener progress, RunHandle handle) throws IOException {
        command.addAll(List.of("-e", "@" + AnsibleFiles.writeVariables(runDir, AnsibleFiles.VARIABLES, request.variables())));
        Path secretsFile = null;
        if (!secrets.isEmpty()) {
            // a file of its own, named on the command line by path only, removed when the process ends
            secretsFile = AnsibleFiles.writeVariables(runDir, AnsibleFiles.SECRETS, secrets);
            command.addAll(List.of("-e", "@" + secretsFile));
        }
        if (request.mode() == JobMode.CHECK) {
            command.addAll(List.of("--check", "--diff"));
        }
        command.add(playbook.toString());
        Path stderr = AnsibleFiles.privateFile(runDir.resolve("stderr.log"));
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        String prefix = "@@charon-" + HexFormat.of().formatHex(nonce) + "@@";

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(runDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        environment(builder.environment(), runDir, prefix);
        if (connection != null) {
            connection.environment(builder.environment());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LaunchFailure("cannot start " + ansible.command() + ": " + rootMessage(e));
        }
        handle.attach(process.toHandle());
        try {
            // further lines: the run's directories outside the run directory, for stopAbandonedRuns
            Files.writeString(runDir.resolve(OWNER_FILE), request.owner() + "\n" + process.pid() + "\n"
                    + (connection == null ? "" : connection.outsideDirectory().map(dir -> dir + "\n").orElse("")));
            // the log is opened once the process runs, so that its creation does not delay the start;
            // the process's output waits in its pipe and its error file meanwhile
            OutputStream log = openLog(request.logFile());
            if (!request.onlyHosts().isEmpty()) {
                writeLine(log, mask.apply("charon-jobs: retrying only the hosts that failed or were unreachable: "
                        + String.join(", ", request.onlyHosts())));
            }

            CallbackEvents events = new CallbackEvents(progress, new CallbackEvents.Limits(jobs.artifactsMaxBytes(),
                    jobs.diffMaxBytes()), line -> writeLine(log, line));
            List<String> errorLines = new ArrayList<>();
            // on the service's clock, as every other time rule: tests move it rather than wait
            Instant deadline = clock.instant().plus(request.timeout());
            // when the run last printed anything or reported an event (its callback writes to standard error)
            Instant lastHeard = clock.instant();
            // why this loop stopped the run as timed out, once it did
            String timedOut = null;
            int exit;
            boolean interrupted = false;
            // standard output comes through a pipe, so that it reaches the disk only once masked
            try (log; LineTail out = LineTail.ofPipe(process.getInputStream()); LineTail tail = LineTail.ofFile(stderr)) {
                Consumer<String> outSink = line -> writeLine(log, mask.apply(line));
                Consumer<String> sink = stderrSink(prefix, events, errorLines, log, mask);
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
                    boolean heard = out.drain(outSink, false) | tail.drain(sink, false);
                    log.flush();
                    Instant now = clock.instant();
                    if (heard) {
                        lastHeard = now;
                    }
                    if (timedOut == null) {
                        timedOut = now.isAfter(deadline) ? "timed out after " + request.timeout()
                                : idle(request, lastHeard, now) ? "idle for " + request.idleTimeout() + ": no output"
                                : null;
                        if (timedOut != null) {
                            handle.stop(Kind.TIMED_OUT);
                        }
                    }
                }
                exit = process.exitValue();
                out.drain(outSink, true);
                tail.drain(sink, true);
            } finally {
                if (secretsFile != null) {
                    Files.deleteIfExists(secretsFile);
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            String outputTail = LogFiles.tail(request.logFile(), jobs.outputTailBytes());
            // keys ssh accepted are learned however the run ended
            List<String> learned = connection == null ? List.of() : connection.learnedHostKeys();
            Kind stopped = handle.stopReason().orElse(null);
            RunDiff diff = request.mode() == JobMode.CHECK ? events.diff() : null;
            if (stopped != null) {
                return new ExecutionOutcome(stopped, exit, stopMessage(stopped, timedOut), outputTail, events.stats(),
                        learned, events.artifacts(), diff);
            }
            if (exit == 0) {
                return new ExecutionOutcome(Kind.SUCCEEDED, 0, null, outputTail, events.stats(), learned,
                        events.artifacts(), diff);
            }
            String failures = events.failureSummary();
            String error = failures != null ? failures
                    : !errorLines.isEmpty() ? errorLines.get(errorLines.size() - 1)
                    : ansible.command() + " exited with code " + exit;
            return new ExecutionOutcome(Kind.FAILED, exit, error, outputTail, events.stats(), learned,
                    events.artifacts(), diff);
        } catch (IOException | RuntimeException e) {
            // the run can no longer be watched or recorded: it must not go on unattended
            ProcessTree.terminate(process.toHandle(), ansible.killGrace());
            throw e;
        }
    }

    /**
     * The start of the command line: setsid and the command, found here beforehand, since setsid
     * would report a missing command only as an exit code; or the command alone, without setsid.
     * setsid execs the command in place (the service's child is not a group leader), so the
     * process started is the playbook's, whose pid the owner file records.
     */
    private List<String> launcher(Path runDir) throws LaunchFailure {
        if (setsid.isEmpty()) {
            return List.of(ansible.command());
        }
        Path found = executable;
        if (found == null || !Files.isExecutable(found)) {
            try {
                found = Executables.resolve(ansible.command(), System.getenv("PATH"), runDir);
            } catch (Executables.NotExecutableException e) {
                throw new LaunchFailure("cannot start " + ansible.command() + ": " + e.getMessage());
            }
            executable = found;
        }
        return List.of(setsid.get().toString(), found.toString());
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
                if (lines.isEmpty() || !lines.get(0).equals(owner)) {
                    continue;
                }
                // one line only: the service stopped while it wrote the run's files, before the playbook started
                if (lines.size() >= 2) {
                    // the pid may have been reused since: only a process working in this run directory is ours
                    var process = ProcessHandle.of(Long.parseLong(lines.get(1).trim()))
                            .filter(p -> p.info().arguments()
                                    .map(args -> String.join(" ", args).contains(runDir.toString())).orElse(false));
                    if (process.isPresent()) {
                        ProcessTree.terminate(process.get(), ansible.killGrace());
                        stopped++;
                    }
                    stopBesideThePlaybook(runDir, lines.subList(2, lines.size()));
                }
                AnsibleFiles.deleteRecursively(runDir);
            }
        } catch (IOException | NumberFormatException e) {
            // a run directory that cannot be read holds no process we could identify
        }
        return stopped;
    }

    /**
     * What a run started beside the playbook (its ssh-agent, whose socket may lie in a directory
     * of its own outside the run directory, named by the owner file's further lines) names one
     * of those directories on its command line: stopped, and the directories deleted.
     */
    private void stopBesideThePlaybook(Path runDir, List<String> outsideDirs) {
        List<Path> outside = outsideDirs.stream().filter(line -> !line.isBlank()).map(Path::of)
                .filter(dir -> dir.getFileName() != null
                        && dir.getFileName().toString().startsWith(HostConnection.AGENT_DIR_PREFIX))
                .toList();
        List<String> places = new ArrayList<>(List.of(runDir + "/"));
        outside.forEach(dir -> places.add(dir + "/"));
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args))
                        .map(line -> places.stream().anyMatch(line::contains)).orElse(false))
                .forEach(p -> ProcessTree.terminate(p, ansible.killGrace()));
        outside.forEach(AnsibleFiles::deleteRecursively);
    }

    /** The secret variables in plain text, for this run only; none when the job has none. */
    private Map<String, String> openSecrets(ExecutionRequest request) throws LaunchFailure {
        if (request.secretVariables() == null) {
            return Map.of();
        }
        try {
            return secretBox.open(request.secretVariables());
        } catch (SecretBox.SecretsUnavailableException e) {
            throw new LaunchFailure(e.getMessage());
        }
    }

    /**
     * Standard error, line by line, with secrets masked first: the callback plugin's lines become
     * progress events, the rest goes to the log.
     */
    private Consumer<String> stderrSink(String prefix, CallbackEvents events, List<String> errorLines,
                                        OutputStream log, SecretMask mask) {
        return raw -> {
            String line = mask.apply(raw);
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
        ChildEnvironment.scrub(env);
        env.put("ANSIBLE_CALLBACK_PLUGINS", plugin.directory().toString());
        env.put("ANSIBLE_CALLBACKS_ENABLED", CallbackPlugin.NAME);
        env.put("CHARON_EVENT_PREFIX", prefix);
        env.put("ANSIBLE_LOCAL_TEMP", runDir.resolve("tmp").toString());
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
        env.put("ANSIBLE_NOCOLOR", "true");
        env.put("ANSIBLE_FORCE_COLOR", "false");
        env.put("PYTHONUNBUFFERED", "1");
    }

    /** Whether the run has printed nothing and reported no event for longer than its idle timeout allows. */
    private static boolean idle(ExecutionRequest request, Instant lastHeard, Instant now) {
        return request.idleTimeout() != null && now.isAfter(lastHeard.plus(request.idleTimeout()));
    }

    /** @param timedOut why the run was stopped as timed out, if it was: its timeout or its idle timeout */
    private static String stopMessage(Kind stopped, String timedOut) {
        return switch (stopped) {
            case TIMED_OUT -> timedOut;
            case CANCELLED -> "cancelled while running";
            case INTERRUPTED -> "interrupted: the service stopped while it ran";
            default -> stopped.name();
        };
    }

    /** The job's log, readable by the service user only; buffered, flushed after every poll. */
    private static OutputStream openLog(Path logFile) throws IOException {
        AnsibleFiles.privateDirectory(logFile.getParent());
        if (!Files.exists(logFile)) {
            AnsibleFiles.privateFile(logFile);
        }
        return new BufferedOutputStream(Files.newOutputStream(logFile, StandardOpenOption.APPEND));
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
}
