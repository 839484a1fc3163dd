package io.charon.jobs.dispatch;

import io.charon.jobs.support.LogCapture;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** A failure that repeats every tick is logged once, then at most once per interval, and its end once. */
class FailureLogTest {

    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private final String category = "charon.test.failure-log." + UUID.randomUUID();
    private final LogCapture capture = LogCapture.install();
    private final SteppedClock clock = new SteppedClock();
    private final FailureLog log;

    FailureLogTest() {
        log = new FailureLog(Logger.getLogger(category), clock, INTERVAL, "a dispatch pass");
    }

    @AfterEach
    void detach() {
        capture.close();
    }

    /** What this test's logger wrote (the capture sees every logger of the process). */
    private List<LogRecord> records() {
        return capture.records().stream().filter(record -> category.equals(record.getLoggerName())).toList();
    }

    @Test
    void anUnavailableStoreIsLoggedOnceThenOncePerIntervalWithoutStackTraces() {
        RuntimeException full = new IllegalStateException("could not claim",
                new SQLiteException("database or disk is full", SQLiteErrorCode.SQLITE_FULL));
        for (int i = 0; i < 100; i++) {
            log.failed(full);
            clock.advance(Duration.ofMillis(200));
        }
        // 100 failures in 20 s: one line
        assertThat(records()).hasSize(1);
        assertThat(records().get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(records().get(0).getMessage()).startsWith("a dispatch pass failed, the store is unavailable: could not claim");
        assertThat(records().get(0).getThrown()).isNull();

        clock.advance(INTERVAL);
        log.failed(full);
        log.failed(full);
        assertThat(records()).hasSize(2);
        assertThat(records().get(1).getMessage()).startsWith("a dispatch pass still fails: 101 failures since")
                .contains("100 since the last line");
        assertThat(records().get(1).getThrown()).isNull();

        log.succeeded();
        log.succeeded();
        assertThat(records()).hasSize(3);
        assertThat(records().get(2).getLevel()).isEqualTo(Level.INFO);
        assertThat(records().get(2).getMessage()).isEqualTo("a dispatch pass succeeds again after 102 failures");
    }

    @Test
    void anUnexpectedErrorGetsItsStackTraceOnceAndAFreshStartAfterASuccess() {
        RuntimeException bug = new IllegalStateException("a bug");
        log.failed(bug);
        log.failed(bug);
        assertThat(records()).hasSize(1);
        assertThat(records().get(0).getLevel()).isEqualTo(Level.SEVERE);
        assertThat(records().get(0).getThrown()).isSameAs(bug);

        log.succeeded();
        log.failed(bug);
        assertThat(records()).hasSize(3);
        assertThat(records().get(2).getThrown()).isSameAs(bug);
    }

    /** A clock that moves only when told. */
    private static final class SteppedClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
