package io.charon.jobs.execution;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** A run that cannot start fails with a message that says why. */
@QuarkusTest
@TestProfile(LaunchFailureTest.MissingBinary.class)
class LaunchFailureTest {

    public static class MissingBinary implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("charon.ansible.command", "/nonexistent/bin/ansible-playbook");
        }
    }

    @Test
    void aMissingAnsibleBinaryFailsTheJobSayingSo() {
        String id = Api.submit(Api.job("no-binary", "hello.yml"));

        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("errorMessage"))
                .contains("cannot start /nonexistent/bin/ansible-playbook").contains("No such file");
        assertThat(job.getObject("exitCode", Integer.class)).isNull();
        given().get("/api/v1/jobs/" + id + "/log").then().statusCode(200)
                .body(containsString("cannot start /nonexistent/bin/ansible-playbook"));
    }
}
