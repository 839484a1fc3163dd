package io.charon.jobs.ssh;

import io.charon.jobs.config.ChildEnvironment;
import io.charon.jobs.files.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@code ssh-agent} of its own for one use (a run, or the check of a new key), listening on a
 * socket in a private directory and stopped by {@link #close()}. A passphrase reaches
 * {@code ssh-add} through an askpass program that reads it from a file readable by the service
 * user only, deleted as soon as the key is added: never through a command line, an environment
 * variable or a terminal.
 */
public final class SshAgent implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(10);
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

    private final Path directory;
    private final Path socket;
    private final Process process;

    private SshAgent(Path directory, Path socket, Process process) {
        this.directory = directory;
        this.socket = socket;
        this.process = process;
    }

    /**
     * Starts an agent whose socket lies in {@code directory} (made private, 0700, if it is not).
     *
     * @throws IOException ssh-agent is missing or did not come up
     */
    public static SshAgent start(Path directory) throws IOException {
        return start(directory, null);
    }

    /**
     * Starts an agent as {@link #start(Path)} does, which forgets every key it is given once
     * {@code keyLifetime} has passed (rounded up to whole seconds; null: never): a bound on how
     * long a key stays open should the agent outlive its user (the service killed outright).
     */
    public static SshAgent start(Path directory, Duration keyLifetime) throws IOException {
        PrivateFiles.directory(directory);
        Path socket = directory.resolve("agent.sock");
        Files.deleteIfExists(socket);
        List<String> command = new ArrayList<>(List.of("ssh-agent", "-D", "-a", socket.toString()));
        if (keyLifetime != null) {
            long seconds = Math.max(1, (keyLifetime.toMillis() + 999) / 1000);
            command.addAll(List.of("-t", Long.toString(seconds)));
        }
        // -D: stays in the foreground as our child, so that destroying it stops it
        ProcessBuilder builder = new ProcessBuilder(command);
        ChildEnvironment.scrub(builder.environment());
        Process process = builder
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        SshAgent agent = new SshAgent(directory, socket, process);
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        // the agent binds its socket before it serves; polled, since nothing announces it
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                agent.close();
                throw new IOException("ssh-agent did not start");
            }
            try {
                process.waitFor(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                agent.close();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while ssh-agent started");
            }
        }
        return agent;
    }

    /** The agent's socket: {@code SSH_AUTH_SOCK} or {@code IdentityAgent} for ssh. */
    public Path socket() {
        return socket;
    }

    /**
     * Adds the private key in {@code keyFile}, opened with {@code passphrase} (null for a key
     * without one).
     *
     * @throws KeyRefusedException the key is not a private key, or the passphrase does not open it
     */
    public void add(Path keyFile, String passphrase) throws IOException {
        Path askpass = directory.resolve("askpass");
        Path passphraseFile = directory.resolve("passphrase");
        try {
            ProcessBuilder builder = new ProcessBuilder("ssh-add", keyFile.toString());
            Map<String, String> env = ChildEnvironment.scrub(builder.environment());
            env.put("SSH_AUTH_SOCK", socket.toString());
            env.remove("DISPLAY");
            // always through askpass, which answers once and then fails: ssh-add gives up at once
            // instead of asking a terminal, or asking again after a wrong passphrase
            String script = "#!/bin/sh\nexit 1\n";
            if (passphrase != null) {
                PrivateFiles.file(passphraseFile);
                Files.writeString(passphraseFile, passphrase + "\n", StandardCharsets.UTF_8);
                script = "#!/bin/sh\ncat '" + passphraseFile + "' 2>/dev/null && rm -f '" + passphraseFile + "'\n";
            }
            Files.deleteIfExists(askpass);
            Files.createFile(askpass, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(askpass, script, StandardCharsets.UTF_8);
            env.put("SSH_ASKPASS", askpass.toString());
            env.put("SSH_ASKPASS_REQUIRE", "force");
            Result result = run(builder);
            if (result.exit() != 0 && (result.output().contains("connection to your authentication agent")
                    || result.output().contains("Error connecting to agent"))) {
                throw new IOException("ssh-add could not reach the ssh-agent"); // not the key's fault
            }
            if (result.exit() != 0) {
                throw new KeyRefusedException(reason(result.output(), passphrase != null));
            }
        } finally {
            Files.deleteIfExists(passphraseFile);
            Files.deleteIfExists(askpass);
        }
    }

    /** The public keys the agent holds, as {@code authorized_keys} lines. */
    public List<String> publicKeys() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("ssh-add", "-L");
        ChildEnvironment.scrub(builder.environment()).put("SSH_AUTH_SOCK", socket.toString());
        Result result = run(builder);
        if (result.exit() != 0) {
            return List.of();
        }
        return result.output().lines().filter(line -> line.startsWith("ssh-") || line.startsWith("ecdsa-")
                || line.startsWith("sk-")).toList();
    }

    /** Stops the agent (its keys are gone with it) and removes its socket. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a socket without its agent leads nowhere
        }
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command to its end, or kills it after {@link #COMMAND_LIMIT}; its output goes through a file. */
    private Result run(ProcessBuilder builder) throws IOException {
        Path output = Files.createTempFile(directory, "output", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        builder.redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Process process = builder.start();
            if (!process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(builder.command().get(0) + " did not finish");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + builder.command().get(0) + " ran");
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** ssh-add's reason, in words that do not repeat the key file's path. */
    private static String reason(String output, boolean withPassphrase) {
        if (output.contains("Error loading key") || output.contains("invalid format")) {
            return "is not a private key in OpenSSH or PEM form";
        }
        return withPassphrase ? "the passphrase does not open the private key"
                : "the private key is protected by a passphrase, and none was given";
    }

    /** A key ssh-add would not take; the message says why without naming any file. */
    public static final class KeyRefusedException extends IOException {
        public KeyRefusedException(String message) {
            super(message);
        }
    }
}
