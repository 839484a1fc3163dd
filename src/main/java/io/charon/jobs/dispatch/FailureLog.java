package io.charon.jobs.dispatch;

import io.charon.jobs.store.StoreUnavailable;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The log of a task that may fail again and again for one cause, such as a pass run every second
 * while the store cannot be written: the first failure is logged, then at most one line per
 * {@code interval} saying how many failures it stands for, and the first success after failures
 * once. A stack trace goes with the first failure only, and not at all when the store is merely
 * unavailable (its message says it all). Times come from the service's clock.
 */
public final class FailureLog {

    private final Logger log;
    private final Clock clock;
    private final Duration interval;
    private final String task;
    private long failures;
    private long unlogged;
    private Instant failingSince;
    private Instant lastLogged;

    /** @param task what fails, as a log line's subject: "a dispatch pass" */
    public FailureLog(Logger log, Clock clock, Duration interval, String task) {
        this.log = log;
        this.clock = clock;
        this.interval = interval;
        this.task = task;
    }

    /** Runs one attempt of the task, noting whether it failed; a failure is logged here, not thrown. */
    public void attempt(Runnable attempt) {
        try {
            attempt.run();
            succeeded();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    public synchronized void failed(Throwable error) {
        failures++;
        Instant now = clock.instant();
        boolean unavailable = StoreUnavailable.causedBy(error);
        if (failures == 1) {
            failingSince = now;
            lastLogged = now;
            if (unavailable) {
                log.warn(String.format("%s failed, the store is unavailable: %s; retrying, and logging this at most"
                        + " once per %s", task, error.getMessage(), interval));
            } else {
                log.error(String.format("%s failed; retrying, and logging this at most once per %s", task, interval), error);
            }
            return;
        }
        unlogged++;
        if (!now.isBefore(lastLogged.plus(interval))) {
            log.warn(String.format("%s still fails: %d failures since %s, %d since the last line: %s",
                    task, failures, failingSince, unlogged, error.getMessage()));
            lastLogged = now;
            unlogged = 0;
        }
    }

    public synchronized void succeeded() {
        if (failures > 0) {
            log.info(String.format("%s succeeds again after %d failures", task, failures));
            failures = 0;
            unlogged = 0;
        }
    }
}
