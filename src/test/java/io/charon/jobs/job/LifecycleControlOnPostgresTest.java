package io.charon.jobs.job;

import io.charon.jobs.support.PostgresStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;

/** {@link LifecycleControlTest}, on PostgreSQL: the storage suite runs against both stores. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@Tag("services")
class LifecycleControlOnPostgresTest extends LifecycleControlTest {
}
