package io.charon.jobs.dispatch;

import io.charon.jobs.support.PostgresStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;

import java.util.Map;

/** {@link ConcurrencyCapTest}, on PostgreSQL, where the cap is counted across replicas in the claim. */
@QuarkusTest
@TestProfile(ConcurrencyCapOnPostgresTest.CapOfTwoOnPostgres.class)
@Tag("services")
class ConcurrencyCapOnPostgresTest extends ConcurrencyCapTest {

    public static class CapOfTwoOnPostgres extends CapOfTwo {
        @Override
        public String getConfigProfile() {
            return "test,postgresql";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return PostgresStoreProfile.on(super.getConfigOverrides(), getClass());
        }
    }
}
