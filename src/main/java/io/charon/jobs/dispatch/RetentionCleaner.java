package io.charon.jobs.dispatch;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.lifecycle.Retention;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Deletes finished jobs older than {@code charon.jobs.retention-period} with everything that
 * belongs to them, in small batches so no transaction holds the store for long. Logs of
 * running jobs are never touched: only jobs that ended are selected.
 */
@ApplicationScoped
public class RetentionCleaner {

    private static final Logger LOG = Logger.getLogger(RetentionCleaner.class);
    static final int BATCH = 500;

    private final Retention jobs;
    private final JobsConfig config;
    private final Clock clock;

    public RetentionCleaner(Retention jobs, JobsConfig config, Clock clock) {
        this.jobs = jobs;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${charon.jobs.cleanup-interval:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "charon-retention")
    void scheduled() {
        try {
            cleanUp();
        } catch (RuntimeException e) {
            LOG.warnf("retention clean-up failed, retrying at the next interval: %s", e.getMessage());
        }
    }

    /** Deletes everything past retention now; returns how many jobs went. */
    public int cleanUp() {
        var cutoff = clock.instant().minus(config.retentionPeriod());
        int deleted = 0;
        while (true) {
            Retention.Deleted batch = jobs.deleteFinishedBefore(cutoff, BATCH);
            batch.logFiles().forEach(RetentionCleaner::deleteQuietly);
            deleted += batch.jobs();
            if (batch.jobs() < BATCH) {
                break;
            }
        }
        if (deleted > 0) {
            LOG.infof("retention: deleted %d finished jobs older than %s", deleted, config.retentionPeriod());
        }
        return deleted;
    }

    private static void deleteQuietly(String file) {
        try {
            Files.deleteIfExists(Path.of(file));
        } catch (IOException e) {
            LOG.warnf("retention: could not delete %s: %s", file, e.getMessage());
        }
    }
}
