package io.charon.jobs;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged service as an operator first starts it: without any configured token, and in development mode. */
class SecurityIT {

    private static final Pattern PRINTED = Pattern.compile("^\\s+(chr_[A-Za-z0-9_-]{43})\\s*$", Pattern.MULTILINE);

    @TempDir
    Path dataDir;

    @Test
    void aFirstStartWithoutTokensPrintsOneAdminTokenOnce() throws Exception {
        Map<String, String> settings = Map.of("charon.security.enabled", "true");
        try (ServiceProcess service = new ServiceProcess(dataDir, settings).start()) {
            List<String> printed = printedTokens(service);
            assertThat(printed).hasSize(1);
            String token = printed.get(0);
            service.request(null).get("/api/v1/jobs").then().statusCode(401);
            service.request(token).get("/api/v1/jobs").then().statusCode(200);
            String id = service.request(token).contentType("application/json").body(Api.job("bootstrap", "hello.yml"))
                    .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
            assertThat(service.request(token).get("/api/v1/jobs/" + id).path("userId").toString()).isEqualTo("admin");
            // the store holds its hash only: no file but the console log has its text
            try (var files = Files.walk(dataDir)) {
                assertThat(files.filter(Files::isRegularFile).filter(file -> !file.equals(service.logFile()))
                        .filter(file -> contains(file, token)).toList()).isEmpty();
            }

            service.stop();
            service.start();
            assertThat(printedTokens(service)).as("printed once, not at every start").containsExactly(token);
            service.request(token).get("/api/v1/jobs/" + id).then().statusCode(200);
        }
    }

    @Test
    void developmentModeIsExplicitAndSaysSo() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, Map.of("charon.security.enabled", "false")).start()) {
            service.request(null).get("/api/v1/workers").then().statusCode(200);
            assertThat(Files.readString(service.logFile())).contains("authentication is OFF");
            assertThat(printedTokens(service)).isEmpty();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<String> printedTokens(ServiceProcess service) throws Exception {
        Matcher matcher = PRINTED.matcher(Files.readString(service.logFile()));
        return matcher.results().map(m -> m.group(1)).toList();
    }
}
