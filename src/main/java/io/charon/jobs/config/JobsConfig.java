package io.charon.jobs.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** Settings of the job queue, dispatcher and worker pool ({@code charon.jobs.*}). */
@ConfigMapping(prefix = "charon.jobs")
public interface JobsConfig {

    /** Worker threads in this process; resizable at run time through the API; 0 starts paused. */
    @WithDefault("5")
    int workerCount();

    /**
     * What runs a claimed job: {@code ansible} (the real thing), or {@code noop}, which ends every
     * run at once without starting a process, for measuring the queue machinery alone.
     */
    @WithDefault("ansible")
    RunnerKind runner();

    enum RunnerKind {
        ANSIBLE,
        NOOP
    }

    /** Upper bound on jobs running at once, whatever the worker count. */
    @WithDefault("10")
    int maxConcurrentJobs();

    /** Timeout of a job that does not name one. */
    @WithDefault("PT1H")
    Duration defaultTimeout();

    /** Largest timeout a submission may ask for. */
    @WithDefault("PT24H")
    Duration maxTimeout();

    /** Holds the SQLite file and the job logs; created when missing. */
    @WithDefault("data")
    Path dataDir();

    /** How often the dispatcher looks for due work when nothing woke it. */
    @WithDefault("1s")
    String dispatchInterval();

    /** How many jobs one claim transaction takes at most. */
    @WithDefault("32")
    int claimBatchSize();

    /** How long a claim stays valid without renewal; a job whose lease ran out is an orphan. */
    @WithDefault("PT30S")
    Duration leaseDuration();

    /** How long a stopping service waits for running jobs before handing them back to the queue. */
    @WithDefault("PT20S")
    Duration shutdownGrace();

    /** Longest wait that {@code GET /jobs/{id}/wait} honours. */
    @WithDefault("PT5M")
    Duration maxWait();

    /** Size of the log tail kept in a job's {@code output}. */
    @WithDefault("16384")
    int outputTailBytes();

    /**
     * Largest artifacts (what a playbook publishes with {@code set_stats}, as JSON) a job keeps;
     * larger ones are not kept, and the job's log and events say so.
     */
    @WithDefault("65536")
    int artifactsMaxBytes();

    /**
     * Largest diff a check-mode job keeps, over all its entries; the entries beyond it are left
     * out and the diff says it was truncated.
     */
    @WithDefault("262144")
    int diffMaxBytes();

    /** Retries of a job that does not name {@code maxRetries}. */
    @WithDefault("0")
    int defaultMaxRetries();

    /** First retry delay of a job that does not name {@code retryDelay}; doubles per attempt. */
    @WithDefault("PT10S")
    Duration defaultRetryDelay();

    /** Cap on the retry delay after doubling; also the longest {@code retryDelay} a submission may name. */
    @WithDefault("PT10M")
    Duration maxRetryDelay();

    /** How often a running job's lease is renewed; well below {@code lease-duration}. */
    @WithDefault("10s")
    String leaseRenewInterval();

    /** How often jobs whose lease ran out are looked for. */
    @WithDefault("15s")
    String rescueInterval();

    /** What happens to a job whose run was orphaned (its lease ran out). */
    @WithDefault("requeue")
    OrphanPolicy orphanPolicy();

    /** How often finished jobs past the retention period are deleted. */
    @WithDefault("1h")
    String cleanupInterval();

    /** How long finished jobs, their events, attempts and logs are kept. */
    @WithDefault("P30D")
    Duration retentionPeriod();

    /**
     * Free space that the data and work directories need for the service to report itself ready
     * ({@code /q/health/ready}); a size such as {@code 100M} or {@code 2G}.
     */
    @WithDefault("100M")
    MemorySize minFreeDisk();

    enum OrphanPolicy {
        /** run it again: counts as an attempt and obeys maxRetries */
        REQUEUE,
        /** end it failed, with the message "orphaned: the service stopped while it ran" */
        FAIL;

        /** As written in configuration and logs. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
