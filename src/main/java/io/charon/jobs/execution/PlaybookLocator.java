package io.charon.jobs.execution;

import io.charon.jobs.config.AnsibleConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Resolves a submitted playbook path inside {@code charon.ansible.playbook-dir}: relative, no
 * {@code ..}, and after every symbolic link is followed, a readable regular {@code .yml}/{@code .yaml}
 * file inside the directory's own real path. Checked at submission and again before each run,
 * since the file may change in between.
 */
@ApplicationScoped
public class PlaybookLocator {

    private final AnsibleConfig config;

    public PlaybookLocator(AnsibleConfig config) {
        this.config = config;
    }

    /** The real path of a playbook that lies inside the root, after symlinks are followed. */
    public Path resolve(String playbook) {
        if (playbook.indexOf('\0') >= 0) {
            throw new UnusablePlaybookException("must not contain NUL characters");
        }
        Path relative;
        try {
            relative = Path.of(playbook);
        } catch (InvalidPathException e) {
            throw new UnusablePlaybookException("is not a valid path");
        }
        if (relative.isAbsolute()) {
            throw new UnusablePlaybookException("must be a path relative to the playbook directory");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw new UnusablePlaybookException("must not contain '..'");
            }
        }
        if (!isYaml(relative)) {
            throw new UnusablePlaybookException("must be a .yml or .yaml file");
        }
        Path root;
        Path real;
        try {
            root = config.playbookDir().toRealPath();
        } catch (IOException e) {
            throw new UnusablePlaybookException("cannot be read: the playbook directory "
                    + config.playbookDir() + " does not exist");
        }
        try {
            real = root.resolve(relative).toRealPath();
        } catch (IOException e) {
            throw new UnusablePlaybookException("does not exist in the playbook directory");
        }
        if (!real.startsWith(root)) {
            throw new UnusablePlaybookException("resolves outside the playbook directory");
        }
        if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
            throw new UnusablePlaybookException("is not a readable regular file");
        }
        if (!isYaml(real)) {
            // a link named .yml must lead to a playbook too, not to any other file of the directory
            throw new UnusablePlaybookException("must resolve to a .yml or .yaml file");
        }
        return real;
    }

    private static boolean isYaml(Path path) {
        String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
        return fileName.endsWith(".yml") || fileName.endsWith(".yaml");
    }

    /** Why a playbook path cannot be used; the message completes "playbook ...". */
    public static class UnusablePlaybookException extends RuntimeException {
        public UnusablePlaybookException(String message) {
            super(message);
        }
    }
}
