package io.charon.jobs.dispatch;

import io.charon.jobs.support.PostgresStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;

/** {@link DispatchOrderTest}, on PostgreSQL: the storage suite runs against both stores. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@Tag("services")
class DispatchOrderOnPostgresTest extends DispatchOrderTest {
}
