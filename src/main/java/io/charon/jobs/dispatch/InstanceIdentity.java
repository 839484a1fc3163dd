package io.charon.jobs.dispatch;

import io.charon.jobs.config.DataDirectoryLock;
import io.charon.jobs.config.JobsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * This instance's name as a lease owner. It is kept in the data directory, so a process that
 * restarts on the same data directory knows at once that the jobs it still owns were orphaned
 * by its previous life, instead of waiting for their leases to run out.
 */
@ApplicationScoped
public class InstanceIdentity {

    private final String id;

    /** The lock first: the id is only this process's to use while it holds the data directory. */
    public InstanceIdentity(JobsConfig config, DataDirectoryLock lock) {
        this.id = loadOrCreate(config.dataDir().resolve("instance-id"));
    }

    public String id() {
        return id;
    }

    private static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!stored.isEmpty()) {
                    return stored;
                }
            }
            Files.createDirectories(file.getParent());
            String created = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
            Files.writeString(file, created + "\n", StandardCharsets.UTF_8);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the instance id in " + file, e);
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "charon";
        }
    }
}
