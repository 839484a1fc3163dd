package io.charon.jobs;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged service as an operator first starts it: without any configured token, and in development mode. */
class SecurityIT {

    private static final String TOKEN = "chr_[A-Za-z0-9_-]{43}";
    private static final Pattern TOKEN_ANYWHERE = Pattern.compile(TOKEN);

    @TempDir
    Path dataDir;

    /**
     * With JSON logging (as the Kubernetes base sets it for the cluster's log collector) and
     * without: the token goes to a private file of the data directory, whose path the log names,
     * and into no log line.
     */
    @ParameterizedTest(name = "JSON log: {0}")
    @ValueSource(booleans = {false, true})
    void aFirstStartWithoutTokensWritesOneAdminTokenToAPrivateFileAndNeverLogsIt(boolean json) throws Exception {
        Map<String, String> settings = Map.of("charon.security.enabled", "true",
                "quarkus.log.console.json.enabled", String.valueOf(json));
        Path file = dataDir.resolve("bootstrap-admin-token").toAbsolutePath();
        try (ServiceProcess service = new ServiceProcess(dataDir, settings).start()) {
            String log = Files.readString(service.logFile());
            assertThat(Files.exists(file)).as(file + " written; the log says:%n%s", log).isTrue();
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String token = Files.readString(file).trim();
            assertThat(token).matches(TOKEN);
            assertThat(log).doesNotContain(token).contains(file.toString());
            assertThat(TOKEN_ANYWHERE.matcher(log).find()).as("no token-shaped text in the log").isFalse();
            if (json) {
                assertThat(log.lines().filter(line -> line.contains(file.toString())))
                        .singleElement().satisfies(line -> assertThat(line).startsWith("{"));
            }

            service.request(null).get("/api/v1/jobs").then().statusCode(401);
            service.request(token).get("/api/v1/jobs").then().statusCode(200);
            String id = service.request(token).contentType("application/json").body(Api.job("bootstrap", "hello.yml"))
                    .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
            assertThat(service.request(token).get("/api/v1/jobs/" + id).path("userId").toString()).isEqualTo("admin");
            // the store holds its hash only: no other file has its text
            try (var files = Files.walk(dataDir)) {
                assertThat(files.filter(Files::isRegularFile).filter(f -> !f.toAbsolutePath().equals(file))
                        .filter(f -> contains(f, token)).toList()).isEmpty();
            }

            service.stop();
            service.start();
            assertThat(Files.readString(file).trim()).as("created once, not at every start").isEqualTo(token);
            assertThat(Files.readString(service.logFile()).lines().filter(line -> line.contains(file.toString())))
                    .as("named once, at the start that created it").hasSize(1);
            service.request(token).get("/api/v1/jobs/" + id).then().statusCode(200);
        }
    }

    @Test
    void developmentModeIsExplicitAndSaysSo() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, Map.of("charon.security.enabled", "false")).start()) {
            service.request(null).get("/api/v1/workers").then().statusCode(200);
            assertThat(Files.readString(service.logFile())).contains("authentication is OFF");
            assertThat(TOKEN_ANYWHERE.matcher(Files.readString(service.logFile())).find()).isFalse();
            assertThat(dataDir.resolve("bootstrap-admin-token")).doesNotExist();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
