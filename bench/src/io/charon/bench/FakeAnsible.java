package io.charon.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The record that {@code bench/fake-ansible-playbook} keeps when {@value #RECORD_ENV} names a
 * file: one line {@code <jobId>-<claim token> <epoch nanos>} per process start.
 */
final class FakeAnsible {

    static final String RECORD_ENV = "CHARON_BENCH_RECORD";

    private FakeAnsible() {
    }

    /** Run directory name (job id and claim token) → when its process started, epoch nanos. */
    static Map<String, Long> starts(Path record) {
        Map<String, Long> starts = new HashMap<>();
        if (!Files.exists(record)) {
            return starts;
        }
        try {
            String text = Files.readString(record);
            // a line being appended right now may be cut short: only whole lines count, the rest next time
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    starts.putIfAbsent(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return starts;
    }

    /** The run directory name of a job's first run. */
    static String firstRun(String jobId) {
        return jobId + "-1";
    }
}
