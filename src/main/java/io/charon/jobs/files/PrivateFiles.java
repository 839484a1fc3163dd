package io.charon.jobs.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories that only the service user may read: the data directory, job logs, run
 * directories and the variables files in them.
 */
public final class PrivateFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the directory if needed and makes it 0700: for directories of this service's own. */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!Files.getPosixFilePermissions(dir).equals(DIRECTORY)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
        return dir;
    }

    /**
     * Creates whatever is missing of the directory's path as 0700, and leaves an existing directory
     * as it is: for directories an operator names (the data directory), which may be shared.
     */
    public static Path createMissing(Path dir) throws IOException {
        return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    }

    /** A new empty file, 0600 from the moment it exists. */
    public static Path file(Path file) throws IOException {
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    }
}
