package io.charon.bench;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the figures were measured on. Printed with every scenario because the machine is shared:
 * the load average and the free memory at that moment say how much of it the bench really had.
 */
final class Machine {

    private Machine() {
    }

    /** One line: cores, CPU model, memory, load, and the disk holding {@code dataDir}. */
    static String describe(Path dataDir) {
        return String.format(Locale.ROOT, "%d cores (%s), memory %s total / %s available, load average %s, disk of %s: %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), mib(memInfoKb("MemTotal")),
                mib(memInfoKb("MemAvailable")), loadAverage(), dataDir, disk(dataDir));
    }

    /** Resident memory of a process in KiB ({@code VmRSS} of /proc/<pid>/status), or -1 once it is gone. */
    static long residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    }

    private static long memInfoKb(String key) {
        return firstValue(Path.of("/proc/meminfo"), key).map(v -> Long.parseLong(v.replaceAll("[^0-9]", ""))).orElse(-1L);
    }

    private static String loadAverage() {
        try {
            List<String> parts = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
            return String.join(" ", parts.subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String disk(Path dataDir) {
        try {
            Path existing = dataDir.toAbsolutePath();
            while (!Files.exists(existing)) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing);
            return String.format(Locale.ROOT, "%s on %s, %s total / %s free", store.type(), store.name(),
                    gib(store.getTotalSpace()), gib(store.getUsableSpace()));
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static String mib(long kb) {
        return kb < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.0f GiB", bytes / 1024.0 / 1024.0 / 1024.0);
    }
}
