package io.charon.jobs.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * One application for tests that need small limits the others must not see, shared since every
 * distinct profile costs an application build and start on each store: two workers under a cap of
 * one (ConcurrencyCapTest, ClaimsAlongWritesTest), a dispatcher tick of an hour, so that only the
 * commits of submissions and outcomes claim (ClaimsAlongWritesTest; the others' jobs start that
 * way too), and subscriber buffers of 8 events (SlowSubscriberTest; only event streams use them).
 * No test depends on another's setting beyond that.
 */
public class TunedServiceProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("charon.jobs.worker-count", "2", "charon.jobs.max-concurrent-jobs", "1",
                "charon.jobs.dispatch-interval", "1h", "charon.events.subscriber-buffer", "8");
    }
}
