package io.charon.jobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How lifecycle events and logs are streamed and bridged ({@code charon.events.*}). */
@ConfigMapping(prefix = "charon.events")
public interface EventsConfig {

    /**
     * Events a subscriber may fall behind by before it is disconnected; it resumes from the
     * store with its last event id, so nothing is lost, and workers never wait for it.
     */
    @WithDefault("1024")
    int subscriberBuffer();

    /**
     * Longest time between two reads of new events when no commit announced any: the fallback
     * for events written by another process.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * Shortest time between two reads of new events by the feed or the relay while commits keep
     * announcing them: under load each read takes many commits' events. The first commit after
     * a quiet spell is read at once.
     */
    @WithDefault("20ms")
    Duration readInterval();

    /** How often a followed log file is checked for new lines. */
    @WithDefault("100ms")
    Duration logPollInterval();

    /** The CloudEvents {@code source} of published events. */
    @WithDefault("urn:charon:jobs")
    String source();

    /** The user that jobs arriving on the {@code job-requests} channel are submitted as. */
    @WithDefault("intake")
    String intakeUser();

    /** Longest wait for the broker to confirm a batch of published events before it is sent again. */
    @WithDefault("10s")
    Duration publishTimeout();
}
