package io.charon.jobs.security;

import io.charon.jobs.support.PostgresStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;

/** {@link AuditTest}, on PostgreSQL: refused requests are counted by the same upsert on both stores. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@Tag("services")
class AuditOnPostgresTest extends AuditTest {
}
