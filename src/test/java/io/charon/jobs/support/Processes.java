package io.charon.jobs.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Looks at the machine's process table. */
public final class Processes {

    private Processes() {
    }

    /** Live processes whose command line mentions {@code marker} (a job id appears in every run's paths). */
    public static long alive(String marker) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p).map(line -> line.contains(marker)).orElse(false))
                .count();
    }

    /**
     * The command line as the process shows it in {@code /proc}: the JDK reports none for a
     * process that rewrote it (sshd shows {@code sshd: /usr/sbin/sshd -D -f <config> [listener]}).
     */
    public static Optional<String> commandLine(ProcessHandle process) {
        try {
            byte[] line = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return line.length == 0 ? process.info().commandLine()
                    : Optional.of(new String(line, StandardCharsets.UTF_8).replace('\0', ' ').trim());
        } catch (IOException | SecurityException e) {
            return process.info().commandLine();
        }
    }
}
