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
        Optional<Stat> service = Stat.read(Path.of("/proc/" + servicePid + "/stat"));
        if (service.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Double> compilers = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/" + servicePid + "/task"))) {
            for (Path thread : threads) {
                Stat.read(thread.resolve("stat")).filter(stat -> stat.command().contains("CompilerThre"))
                        .ifPresent(stat -> compilers.put(thread.getFileName().toString(), stat.ownSeconds()));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new CpuTime(service.get().ownSeconds(), compilers,
                postgres ? postgresServer() : Optional.empty()));
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
                Optional<Stat> stat = Stat.read(process.resolve("stat")).filter(s -> s.command().equals("postgres"));
                if (stat.isPresent()) {
                    found = true;
                    total += stat.get().ownSeconds() + stat.get().childrenSeconds();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return found ? Optional.of(total) : Optional.empty();
    }

    /** One read of a process's or thread's stat file: its command, its own and its reaped children's CPU seconds. */
    private record Stat(String command, double ownSeconds, double childrenSeconds) {

        /** Empty once the process is gone. */
        static Optional<Stat> read(Path stat) {
            try {
                String line = Files.readString(stat);
                int commandEnd = line.lastIndexOf(')');
                String[] fields = line.substring(commandEnd + 2).split(" ");
                return Optional.of(new Stat(line.substring(line.indexOf('(') + 1, commandEnd),
                        (Long.parseLong(fields[UTIME]) + Long.parseLong(fields[UTIME + 1])) / TICKS_PER_SECOND,
                        (Long.parseLong(fields[CUTIME]) + Long.parseLong(fields[CUTIME + 1])) / TICKS_PER_SECOND));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
