package io.charon.jobs.observability;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.PostgresStoreProfile;
import io.charon.jobs.support.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * PostgreSQL out of reach (the connection cut, new ones refused): requests answer 503 with
 * {@code Retry-After}, the store's readiness check is down, and both recover by themselves once it is back. The
 * SQLite side of this is in {@link HealthProbeTest}.
 */
@QuarkusTest
@TestProfile(StoreOutageOnPostgresTest.ProxiedPostgres.class)
@Tag("postgresql-only") // its own datasource, behind a proxy the test cuts
class StoreOutageOnPostgresTest {

    /** PostgreSQL, reached through a proxy the test can cut. */
    public static class ProxiedPostgres extends PostgresStoreProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(); // the proxy's resource gives the datasource: the profile's settings would win over it
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseProxy.class));
        }
    }

    /** Puts the proxy between the service and the machine's PostgreSQL, in a schema of this test's own. */
    public static class DatabaseProxy implements QuarkusTestResourceLifecycleManager {
        static TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            URI server = URI.create(PostgresStoreProfile.URL.substring("jdbc:".length()));
            proxy = new TcpProxy(server.getHost(), server.getPort());
            String schema = PostgresStoreProfile.newSchemaName("charon_test_");
            Map<String, String> settings = new HashMap<>(PostgresStoreProfile.inSchema(schema));
            settings.put("quarkus.datasource.postgresql.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getPath() + "?currentSchema=" + schema);
            return settings;
        }

        @Override
        public void stop() {
            proxy.close();
        }
    }

    @AfterEach
    void reconnect() {
        DatabaseProxy.proxy.restore();
    }

    @Test
    void anUnreachableDatabaseAnswers503AndTheServiceRecoversOnceItIsBack() {
        Api.submit(laterJob());
        assertThat(storeCheck()).isEqualTo("UP");

        DatabaseProxy.proxy.cut();
        Api.post(laterJob()).then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                .body("type", endsWith("/store-unavailable")).body("status", equalTo(503));
        assertThat(storeCheck()).isEqualTo("DOWN");

        DatabaseProxy.proxy.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.post(laterJob()).statusCode() == 201);
        await().atMost(Duration.ofSeconds(60)).until(() -> "UP".equals(storeCheck()));
        for (int i = 0; i < 5; i++) {
            Api.submit(laterJob());
        }
    }

    /** The status of the store's readiness check (the others are not this test's concern). */
    private static String storeCheck() {
        return given().get("/q/health/ready").then().extract().jsonPath().getString("checks.find { it.name == 'store' }.status");
    }

    /** A job due long after the test ends: storing it is all that is asked of the service. */
    private static Map<String, Object> laterJob() {
        return Api.with(Api.job("later", "hello.yml"), "scheduledAt", Instant.now().plus(Duration.ofDays(365)).toString());
    }
}
