package io.charon.jobs.execution.ansible;

import io.charon.jobs.config.AnsibleConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The progress callback plugin ships inside the application; Ansible needs it as a file, so it
 * is copied into the work directory the first time a run needs it.
 */
@ApplicationScoped
public class CallbackPlugin {

    static final String NAME = "charon_events";
    private static final String RESOURCE = "ansible/callback_plugins/" + NAME + ".py";

    private final AnsibleConfig config;
    private volatile Path directory;

    public CallbackPlugin(AnsibleConfig config) {
        this.config = config;
    }

    /** The folder to put on {@code ANSIBLE_CALLBACK_PLUGINS}. */
    public Path directory() {
        Path dir = directory;
        if (dir == null) {
            synchronized (this) {
                if (directory == null) {
                    directory = install();
                }
                dir = directory;
            }
        }
        return dir;
    }

    private Path install() {
        Path dir = config.workDir().resolve(".charon").resolve("callback_plugins").toAbsolutePath();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the callback plugin " + RESOURCE + " is missing from the application");
            }
            Files.createDirectories(dir);
            Files.copy(in, dir.resolve(NAME + ".py"), StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the callback plugin in " + dir, e);
        }
    }
}
