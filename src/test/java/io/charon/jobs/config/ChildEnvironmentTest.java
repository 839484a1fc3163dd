package io.charon.jobs.config;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which of the service's variables a child process inherits. */
@Tag("store-independent")
class ChildEnvironmentTest {

    @Test
    void theServicesSecretsStayWithTheServiceAndEverythingElsePasses() {
        Map<String, String> env = new HashMap<>(Map.of(
                "CHARON_SECURITY_SECRET_KEY", "k", "CHARON_SECURITY_ADMIN_TOKEN", "t",
                "QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD", "p", "QUARKUS_HTTP_PORT", "8080",
                "CHARON_RABBITMQ_PASSWORD", "r", "CHARON_FAKE_RECORD", "/tmp/record",
                "CHARON_BENCH_RECORD", "/tmp/bench", "PATH", "/usr/bin", "HOME", "/home/charon"));
        assertThat(ChildEnvironment.scrub(env)).containsOnlyKeys("CHARON_FAKE_RECORD", "CHARON_BENCH_RECORD", "PATH",
                "HOME");
    }
}
