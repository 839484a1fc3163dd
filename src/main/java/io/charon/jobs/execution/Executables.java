package io.charon.jobs.execution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds an executable as {@code execvp} does: a name is looked up on PATH, a path is taken as it is. */
public final class Executables {

    private Executables() {
    }

    /**
     * The file that running {@code command} would start.
     *
     * @param path       the PATH the process gets
     * @param workingDir the process's working directory, which a relative path is resolved against
     * @throws NotExecutableException saying why, in the words of the operating system's error
     */
    public static Path resolve(String command, String path, Path workingDir) throws NotExecutableException {
        if (command.contains("/")) {
            Path file = workingDir.resolve(command);
            if (!Files.exists(file)) {
                throw new NotExecutableException("No such file or directory");
            }
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                throw new NotExecutableException("Permission denied");
            }
            return file;
        }
        boolean found = false;
        for (String dir : (path == null ? "" : path).split(":", -1)) {
            Path file = (dir.isEmpty() ? workingDir : workingDir.resolve(dir)).resolve(command);
            if (Files.isRegularFile(file)) {
                if (Files.isExecutable(file)) {
                    return file;
                }
                found = true;
            }
        }
        throw new NotExecutableException(found ? "Permission denied" : "No such file or directory");
    }

    /** {@code command} found on PATH, if it is there. */
    public static Optional<Path> find(String command, String path, Path workingDir) {
        try {
            return Optional.of(resolve(command, path, workingDir));
        } catch (NotExecutableException e) {
            return Optional.empty();
        }
    }

    /** The command cannot be started; the message is the reason. */
    public static final class NotExecutableException extends Exception {
        NotExecutableException(String reason) {
            super(reason);
        }
    }
}
