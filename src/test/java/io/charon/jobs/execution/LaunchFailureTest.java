package io.charon.jobs.execution;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.IncompleteInstallationProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** A run that cannot start fails with a message that says why. */
@QuarkusTest
@TestProfile(IncompleteInstallationProfile.class) // ansible-playbook missing
class LaunchFailureTest {

    @Test
    void aMissingAnsibleBinaryFailsTheJobSayingSo() {
        String id = Api.submit(Api.job("no-binary", "hello.yml"));

        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("errorMessage"))
                .contains("cannot start " + IncompleteInstallationProfile.MISSING_ANSIBLE).contains("No such file");
        assertThat(job.getObject("exitCode", Integer.class)).isNull();
        given().get("/api/v1/jobs/" + id + "/log").then().statusCode(200)
                .body(containsString("cannot start " + IncompleteInstallationProfile.MISSING_ANSIBLE));
    }
}
