package io.charon.jobs.observability;

import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.config.JobsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ready while the directories the service writes to take a new file and keep at least
 * {@code charon.jobs.min-free-disk} free: the data directory (the store), its {@code logs} and the
 * work directory (per-run files). Each is probed by creating, writing and deleting a file.
 */
@Readiness
@ApplicationScoped
public class DiskReadiness implements HealthCheck {

    private final Map<String, Path> directories = new LinkedHashMap<>();
    private final long minFreeBytes;

    public DiskReadiness(JobsConfig jobs, AnsibleConfig ansible) {
        this.directories.put("data", jobs.dataDir());
        this.directories.put("logs", jobs.dataDir().resolve("logs"));
        this.directories.put("work", ansible.workDir());
        this.minFreeBytes = jobs.minFreeDisk().asLongValue();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("disk").withData("minFreeBytes", minFreeBytes);
        List<String> problems = new ArrayList<>();
        directories.forEach((name, dir) -> {
            Path path = dir.toAbsolutePath();
            response.withData(name + ".path", path.toString());
            try {
                Path probe = Files.createTempFile(path, ".charon-health-", ".probe");
                try {
                    Files.write(probe, new byte[]{1});
                } finally {
                    Files.delete(probe);
                }
                long free = Files.getFileStore(path).getUsableSpace();
                response.withData(name + ".freeBytes", free);
                if (free < minFreeBytes) {
                    problems.add(name + " directory " + path + " has " + free + " bytes free, below " + minFreeBytes);
                }
            } catch (IOException | SecurityException e) {
                problems.add(name + " directory " + path + " is not writable: " + e);
            }
        });
        if (!problems.isEmpty()) {
            return response.down().withData("reason", String.join("; ", problems)).build();
        }
        return response.up().build();
    }
}
