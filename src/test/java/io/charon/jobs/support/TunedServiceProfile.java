package io.charon.jobs.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * One application for tests that need small limits the others must not see, shared since every
 * distinct profile costs an application start on each store: four workers under a cap of two
 * (ConcurrencyCapTest), and subscriber buffers of 8 events (SlowSubscriberTest; only event
 * streams use them). Neither test depends on the other's setting.
 */
public class TunedServiceProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("charon.jobs.worker-count", "4", "charon.jobs.max-concurrent-jobs", "2",
                "charon.events.subscriber-buffer", "8");
    }
}
