package io.charon.jobs.config;

import io.charon.jobs.files.PrivateFiles;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One process per data directory. The directory holds the instance id, which names this process
 * as the owner of its runs, and the run directories with their owner files: a second process on
 * it would take the first one's running playbooks for its own previous life's, stop them and
 * settle their jobs. So the first to start holds an exclusive lock on a file in it for as long
 * as it lives (an {@code fcntl} lock, which the operating system drops with the process, even a
 * killed one, and which processes it starts do not inherit); any other exits at start-up.
 * Taken before the store is migrated (the Flyway customizers of both stores ask for this bean)
 * and before anything reads the instance id.
 */
@Singleton
public class DataDirectoryLock {

    /** In the data directory: locked while a process uses the directory; holds that process's id. */
    public static final String FILE = "charon-jobs.lock";

    private static final Logger LOG = Logger.getLogger(DataDirectoryLock.class);

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    public DataDirectoryLock(JobsConfig config) {
        this.directory = config.dataDir().toAbsolutePath().normalize();
        Path file = directory.resolve(FILE);
        FileChannel opened = null;
        FileLock locked = null;
        try {
            PrivateFiles.createMissing(directory);
            opened = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                locked = opened.tryLock();
            } catch (OverlappingFileLockException e) {
                // held by this very process already (a second application in one JVM): the channel
                // stays open, since closing any descriptor of the file drops this process's lock
                throw new DataDirectoryInUseException(directory, Long.toString(ProcessHandle.current().pid()));
            }
            if (locked == null) {
                // this process holds no lock on the file, so closing and reading it drop none
                opened.close();
                throw new DataDirectoryInUseException(directory, holder(file));
            }
            opened.truncate(0);
            opened.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            if (locked == null) {
                closeQuietly(opened);
            }
            throw new UncheckedIOException("cannot lock the data directory " + directory, e);
        }
        this.channel = opened;
        this.lock = locked;
    }

    public Path directory() {
        return directory;
    }

    /** At shutdown: a later application in the same JVM (tests) takes the directory again. */
    @PreDestroy
    void release() {
        try {
            lock.release();
        } catch (IOException e) {
            LOG.debugf("cannot release the lock of %s: %s", directory, e.getMessage());
        }
        closeQuietly(channel);
    }

    /** The holder's process id as it wrote it, or "unknown" when it has not yet or cannot be read. */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.UTF_8).trim();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing held through it
            }
        }
    }

    /** Another process holds the data directory. */
    public static final class DataDirectoryInUseException extends IllegalStateException {
        DataDirectoryInUseException(Path directory, String pid) {
            super("the data directory " + directory + " is in use by another process (pid " + pid
                    + "): each charon-jobs process needs a data directory of its own (charon.jobs.data-dir)");
            // one plain line before the start-up failure's stack trace
            LOG.error(getMessage());
        }
    }
}
