package io.charon.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time spent so far, read from /proc (Linux; elsewhere nothing is read): of the service
 * process, of its JIT compiler threads, and of the processes of a PostgreSQL server running on
 * this machine. Two readings around a drain say what each job cost in CPU, wherever it was spent:
 * a drain on two cores is bounded by that sum, not by any one thread.
 */
record CpuTime(double serviceSeconds, Map<String, Double> compilerThreads, Optional<Double> postgresSeconds) {

    /** The kernel's clock ticks per second in /proc's times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;
    /** Field indexes after the ")" ending a /proc stat line's command: utime, stime, cutime, cstime. */
    private static final int UTIME = 11;
    private static final int CUTIME = 13;

    /**
     * @param postgres whether to read the local PostgreSQL server's processes (the store is on
     *                 PostgreSQL): their own times plus those of the backends that ended, which the
     *                 postmaster reaped into its children's times
     */
    static Optional<CpuTime> read(long servicePid, boolean postgres) {
        Optional<double[]> service = times(Path.of("/proc/" + servicePid + "/stat"));
        if (service.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Double> compilers = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/" + servicePid + "/task"))) {
            for (Path thread : threads) {
                if (command(thread.resolve("stat")).filter(name -> name.contains("CompilerThre")).isPresent()) {
                    times(thread.resolve("stat")).ifPresent(t -> compilers.put(thread.getFileName().toString(), t[0]));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new CpuTime(service.get()[0], compilers, postgres ? postgresServer() : Optional.empty()));
    }

    /**
     * CPU seconds of the compiler threads since {@code before}, thread by thread: the JVM starts
     * and stops compiler threads as their queues grow and shrink, and the time of one that ended
     * in between is lost (never counted negative).
     */
    double compilerSecondsSince(CpuTime before) {
        return compilerThreads.entrySet().stream()
                .mapToDouble(thread -> thread.getValue() - before.compilerThreads.getOrDefault(thread.getKey(), 0.0))
                .sum();
    }

    private static Optional<Double> postgresServer() {
        double total = 0;
        boolean found = false;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                Path stat = process.resolve("stat");
                if (command(stat).filter("postgres"::equals).isPresent()) {
                    found = true;
                    total += times(stat).map(t -> t[0] + t[1]).orElse(0.0);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return found ? Optional.of(total) : Optional.empty();
    }

    /** A stat file's {own, reaped children's} CPU seconds; empty once the process is gone. */
    private static Optional<double[]> times(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            double own = Long.parseLong(fields[UTIME]) + Long.parseLong(fields[UTIME + 1]);
            double children = Long.parseLong(fields[CUTIME]) + Long.parseLong(fields[CUTIME + 1]);
            return Optional.of(new double[]{own / TICKS_PER_SECOND, children / TICKS_PER_SECOND});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> command(Path stat) {
        try {
            String line = Files.readString(stat);
            return Optional.of(line.substring(line.indexOf('(') + 1, line.lastIndexOf(')')));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
