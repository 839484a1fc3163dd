package io.charon.jobs.events;

import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.RunLogs;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Follows a job's output as its runs write it: the log of each run in turn, line by line, until
 * the job has ended and its last log is read to the end. Each line carries a position,
 * {@code <run>:<byte offset after the line>}, from which a follower can resume.
 * Not thread-safe: one follower per stream, polled by one caller at a time.
 */
public final class LogFollower {

    /** Most bytes read from a file per poll, so one poll of a huge log stays short. */
    static final int CHUNK = 64 * 1024;

    /** A line of output and the position just after it. */
    public record Line(String position, String text) {
    }

    /** What one poll found; {@code last} means the job has ended and everything was read. */
    public record Chunk(List<Line> lines, boolean last) {
    }

    private final Supplier<RunLogs> logs;
    private long run;
    private long offset;

    /**
     * @param logs    reads the job's current run logs (from the store)
     * @param resumeAt a position from a previous line, or null to start at the beginning
     */
    public LogFollower(Supplier<RunLogs> logs, String resumeAt) {
        this.logs = logs;
        if (resumeAt != null) {
            Position position = Position.parse(resumeAt);
            this.run = position.run();
            this.offset = position.offset();
        }
    }

    /**
     * The job's output line by line, read on worker threads, checked for more every
     * {@code pollInterval} while there is none; completes once the job has ended and its last
     * log is read.
     */
    public Multi<Line> stream(Duration pollInterval) {
        AtomicBoolean cancelled = new AtomicBoolean();
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().item(() -> pollUnchecked(cancelled))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .call(chunk -> chunk.lines().isEmpty() && !chunk.last()
                                ? Uni.createFrom().voidItem().onItem().delayIt().by(pollInterval)
                                : Uni.createFrom().voidItem()))
                .whilst(chunk -> !chunk.last())
                .onItem().transformToIterable(Chunk::lines)
                .onCancellation().invoke(() -> cancelled.set(true));
    }

    /**
     * A poll whose failure after the stream was cancelled ends it quietly: the request that read
     * the store may be gone with its session (a client that left, a stream ended at shutdown), and
     * nobody is left to tell.
     */
    private Chunk pollUnchecked(AtomicBoolean cancelled) {
        try {
            return poll();
        } catch (IOException | RuntimeException e) {
            if (cancelled.get()) {
                return new Chunk(List.of(), true);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The lines written since the last poll; empty when there are none yet. */
    public Chunk poll() throws IOException {
        while (true) {
            RunLogs state = logs.get();
            RunLogs.RunLog current = null;
            RunLogs.RunLog next = null;
            for (RunLogs.RunLog log : state.runs()) {
                if (log.run() == run) {
                    current = log;
                } else if (log.run() > run && (next == null || log.run() < next.run())) {
                    next = log;
                }
            }
            boolean moreToCome = next != null || !state.ended();
            if (current != null) {
                List<Line> lines = read(Path.of(current.path()), !moreToCome || next != null);
                if (!lines.isEmpty()) {
                    return new Chunk(lines, false);
                }
            }
            if (next == null) {
                return new Chunk(List.of(), state.ended());
            }
            run = next.run();
            offset = 0;
        }
    }

    /**
     * Complete lines from the current offset; with {@code finished}, the file will not grow and a
     * last line without a newline counts too.
     */
    private List<Line> read(Path file, boolean finished) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        byte[] bytes;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long available = raf.length() - offset;
            if (available <= 0) {
                return List.of();
            }
            bytes = new byte[(int) Math.min(available, CHUNK)];
            raf.seek(offset);
            raf.readFully(bytes);
            finished = finished && available <= CHUNK;
        }
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(line(bytes, start, i, i + 1));
                start = i + 1;
            }
        }
        // the rest has no newline yet: it is a line only if the file is done, or if it fills a
        // whole chunk (a line longer than a chunk goes out in pieces)
        if (start < bytes.length && (finished || (start == 0 && bytes.length == CHUNK))) {
            lines.add(line(bytes, start, bytes.length, bytes.length));
            start = bytes.length;
        }
        offset += start;
        return lines;
    }

    /** The line in {@code bytes[from, to)}, whose successor starts at {@code next}. */
    private Line line(byte[] bytes, int from, int to, int next) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        return new Line(run + ":" + (offset + next), new String(bytes, from, end - from, StandardCharsets.UTF_8));
    }

    /** Where a follower stands: a run and a byte offset in its log. */
    record Position(long run, long offset) {

        static Position parse(String text) {
            int colon = text.indexOf(':');
            try {
                if (colon > 0) {
                    long run = Long.parseLong(text.substring(0, colon));
                    long offset = Long.parseLong(text.substring(colon + 1));
                    if (run >= 0 && offset >= 0) {
                        return new Position(run, offset);
                    }
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new InvalidInputException("Last-Event-ID", "must be a log position <run>:<offset> sent by this stream");
        }
    }
}
