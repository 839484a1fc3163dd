package io.charon.jobs.api;

import io.charon.jobs.support.PostgresStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;

/** {@link ValidationTest}, on PostgreSQL: what is refused stores nothing, what is accepted is stored as sent. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@Tag("services")
class ValidationOnPostgresTest extends ValidationTest {
}
