package io.charon.jobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Named queues ({@code charon.queues.<name>.*}) as configured; {@code PUT /api/v1/queues/{name}}
 * changes them at run time, for every replica, until changed again.
 */
@ConfigMapping(prefix = "charon.queues")
public interface QueuesConfig {

    @WithParentName
    Map<String, QueueConfig> queues();

    interface QueueConfig {

        /** Running jobs of this queue at once, within the cluster's {@code max-concurrent-jobs}; none: no cap of its own. */
        OptionalInt maxConcurrent();

        /** Whether the queue starts paused: its jobs wait until it is resumed. */
        @WithDefault("false")
        boolean paused();
    }
}
