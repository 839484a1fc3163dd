package io.charon.jobs.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/** Runs the service on {@link MutableClock}, with a short lease so rescue can be tested too. */
public class SettableClockProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(MutableClock.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("charon.jobs.max-retry-delay", "PT10M");
    }
}
