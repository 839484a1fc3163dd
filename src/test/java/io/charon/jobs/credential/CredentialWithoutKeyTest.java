package io.charon.jobs.credential;

import io.charon.jobs.support.IncompleteInstallationProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Without charon.security.secret-key nothing secret is stored: a credential is refused, naming its secret field. */
@QuarkusTest
@TestProfile(IncompleteInstallationProfile.class) // without a secret key
@Tag("store-independent") // refused before the store is asked
class CredentialWithoutKeyTest {

    @Test
    void aCredentialIsRefusedWithoutAnEncryptionKey() {
        given().contentType(ContentType.JSON).body(Map.of("name", "nokey", "kind", "vault", "password", "secret-text"))
                .post("/api/v1/credentials").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("password"))
                .body("errors[0].reason", containsString("charon.security.secret-key"))
                .body("detail", org.hamcrest.Matchers.not(containsString("secret-text")));
        given().get("/api/v1/credentials/nokey").then().statusCode(404);
    }
}
