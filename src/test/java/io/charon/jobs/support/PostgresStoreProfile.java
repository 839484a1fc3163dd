package io.charon.jobs.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the service on the machine's PostgreSQL (the {@code postgresql} profile), each profile in a
 * schema of its own, as each SQLite test run has a database file of its own. Most tests need no
 * such profile: the "postgresql" surefire execution of {@code -Pservices} runs every
 * {@code @QuarkusTest} on PostgreSQL ({@link StoreUnderTest}); this is for the packaged processes
 * of the integration tests and for tests that need a datasource setting of their own.
 * The server is {@code charon.test.postgresql.url} (default 127.0.0.1:5432/test, user postgres).
 */
public class PostgresStoreProfile implements QuarkusTestProfile {

    public static final String URL = System.getProperty("charon.test.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getProperty("charon.test.postgresql.user", "postgres");
    private static final Map<String, String> SCHEMAS = new ConcurrentHashMap<>();

    @Override
    public String getConfigProfile() {
        return "test,postgresql";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return on(Map.of(), getClass());
    }

    /** {@code base} overrides plus those that put the service on PostgreSQL, in {@code profile}'s own schema. */
    public static Map<String, String> on(Map<String, String> base, Class<?> profile) {
        String schema = SCHEMAS.computeIfAbsent(profile.getName(), name -> newSchemaName("charon_test_"));
        Map<String, String> overrides = new HashMap<>(base);
        overrides.putAll(inSchema(schema));
        return overrides;
    }

    /** A schema name not used before: {@code prefix} and 12 random hex digits. */
    public static String newSchemaName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The datasource and Flyway settings that put the service on PostgreSQL in {@code schema}. */
    public static Map<String, String> inSchema(String schema) {
        return Map.of(
                "quarkus.datasource.postgresql.jdbc.url", URL + "?currentSchema=" + schema,
                "quarkus.datasource.postgresql.username", USER,
                "quarkus.flyway.postgresql.schemas", schema);
    }

    /**
     * Settings of a packaged service process ({@link ServiceProcess}) on PostgreSQL in
     * {@code schema}: the production profile plus {@code postgresql}, as an operator starts a replica.
     */
    public static Map<String, String> packaged(String schema) {
        Map<String, String> settings = new HashMap<>(inSchema(schema));
        settings.put("quarkus.profile", "prod,postgresql");
        return settings;
    }
}
