package io.charon.jobs.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/**
 * Runs the service on {@link MutableClock}, with a short lease so rescue can be tested too, and
 * with {@code ansible_connection} among the allowed variables, so that stored inventories may hold
 * hosts that run with the local connection (RetryScopeTest). One profile for every test that moves
 * the clock, since each distinct profile costs an application build and start on each store.
 */
public class SettableClockProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(MutableClock.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("charon.jobs.max-retry-delay", "PT10M",
                "charon.ansible.allowed-variables", "ansible_connection");
    }
}
