package io.charon.jobs.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file that {@code gate.yml} waits for: jobs on a closed gate keep running until the test
 * opens it, so a test decides when they end without sleeping. Always open it in a finally or
 * an @AfterEach, or the jobs hold their workers for two minutes.
 */
public final class Gate implements AutoCloseable {

    private final Path file;

    public Gate() {
        try {
            Path dir = Files.createTempDirectory("charon-gate");
            this.file = dir.resolve("open");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file whose existence opens the gate. */
    public Path file() {
        return file;
    }

    /** A submission of gate.yml that waits on this gate. */
    public Map<String, Object> job(String name) {
        Map<String, Object> body = Api.job(name, "gate.yml");
        body.put("variables", Map.of("gate", file.toString()));
        return body;
    }

    /** The file the gate waits for; a playbook may wait for others beside it (ticker.yml). */
    public Path path() {
        return file;
    }

    public void open() {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        open();
    }
}
