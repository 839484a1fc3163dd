package io.charon.jobs.api;

import io.charon.jobs.support.PostgresStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;

/** {@link StatsTest}, on PostgreSQL: the storage suite runs against both stores. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@Tag("services")
class StatsOnPostgresTest extends StatsTest {
}
