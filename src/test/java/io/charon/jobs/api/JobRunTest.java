package io.charon.jobs.api;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/** Real ansible-playbook runs on localhost, observed through the API. */
@QuarkusTest
class JobRunTest {

    @Test
    void aSucceedingPlaybookCompletesWithStatsProgressAndLog() {
        String id = Api.submit(Api.job("hello", "hello.yml"));

        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getInt("exitCode")).isZero();
        assertThat(job.getString("errorMessage")).isNull();
        assertThat(job.getInt("hostStats.localhost.ok")).isEqualTo(2);
        assertThat(job.getInt("hostStats.localhost.failed")).isZero();
        assertThat(job.getString("startedAt")).isNotNull();
        assertThat(job.getString("completedAt")).isNotNull();
        assertThat(job.getString("duration")).startsWith("PT");
        assertThat(job.getString("output")).contains("PLAY RECAP");

        List<Map<String, Object>> events = Api.events(id);
        List<Object> types = events.stream().map(e -> e.get("type")).toList();
        assertThat(types).startsWith("job.created", "job.queued", "job.started").endsWith("job.completed");
        assertThat(events).extracting(e -> ((Number) e.get("seq")).intValue())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events).filteredOn(e -> "job.progress".equals(e.get("type")))
                .extracting(e -> e.get("data"))
                .anySatisfy(data -> assertThat(data).isEqualTo(Map.of(
                        "event", "host_result", "task", "Greet", "host", "localhost", "result", "ok")));

        given().get("/api/v1/jobs/" + id + "/log").then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(containsString("hello from localhost"), containsString("PLAY RECAP"));
    }

    @Test
    void aFailingPlaybookFailsNamingTheTaskAndHost() {
        String id = Api.submit(Api.job("broken", "fail.yml"));

        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getInt("exitCode")).isEqualTo(2);
        assertThat(job.getString("errorMessage"))
                .contains("Broken step").contains("localhost").contains("this step always fails");
        assertThat(job.getInt("hostStats.localhost.failed")).isEqualTo(1);
        assertThat(job.getInt("hostStats.localhost.ok")).isEqualTo(1);
        assertThat(Api.events(id)).extracting(e -> e.get("type")).last().isEqualTo("job.failed");
    }

    @Test
    void submittedVariablesArePassedLiterallyNeverTemplated() {
        Map<String, Object> body = Api.job("echo", "echo.yml");
        body.put("variables", Map.of("message", "{{ lookup('pipe', 'echo INJECTED') }} & $(id) \"quoted\" ünïcödé"));
        String id = Api.submit(body);

        assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");
        String log = given().get("/api/v1/jobs/" + id + "/log").then().statusCode(200).extract().asString();
        assertThat(log).contains("message={{ lookup('pipe', 'echo INJECTED') }} & $(id) \\\"quoted\\\" ünïcödé");
        assertThat(log).doesNotContain("message=INJECTED");
    }

    @Test
    void aJobOnSeveralHostsReportsEachHost() {
        Map<String, Object> body = Api.job("unreachable", "hello.yml");
        body.put("inventory", List.of("localhost", "charon-no-such-host.invalid"));
        String id = Api.submit(body);

        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getInt("hostStats.localhost.ok")).isEqualTo(2);
        assertThat(job.getInt("hostStats.'charon-no-such-host.invalid'.unreachable")).isEqualTo(1);
        assertThat(job.getString("errorMessage")).contains("charon-no-such-host.invalid").contains("unreachable");
    }
}
