package io.charon.jobs.support;

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
                .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .count();
    }
}
