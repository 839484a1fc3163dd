package io.charon.jobs.credential;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * Who sees and changes a credential: its owner and admins manage it; a user it lists sees it but
 * gets 403 on a change; anyone else gets the same 404 as for a name that does not exist; a
 * viewer creates nothing.
 */
@QuarkusTest
class CredentialAccessTest {

    private static final String CREDENTIALS = "/api/v1/credentials";

    private String suffix;
    private String aliceId;
    private String bobId;
    private String alice;
    private String bob;

    @BeforeEach
    void users() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        aliceId = "alice-" + suffix;
        bobId = "bob-" + suffix;
        alice = Api.token(aliceId, "operator");
        bob = Api.token(bobId, "operator");
    }

    @Test
    void anotherOperatorSeesNothingUntilListedAndThenCannotChangeIt() {
        String name = "shared-" + suffix;
        String missing = "missing-" + suffix;
        create(alice, name, List.of()).then().statusCode(201).body("owner", equalTo(aliceId));

        // exactly the answer for a credential that does not exist, for every endpoint
        for (String each : List.of(name, missing)) {
            String detail = "no credential named " + each;
            notFound(Api.as(bob).get(CREDENTIALS + "/" + each), detail);
            notFound(Api.as(bob).contentType(ContentType.JSON).body(vault(each, List.of())).put(CREDENTIALS + "/" + each), detail);
            notFound(Api.as(bob).delete(CREDENTIALS + "/" + each), detail);
        }
        assertThat(names(Api.as(bob))).doesNotContain(name);

        Api.as(alice).contentType(ContentType.JSON).body(vault(name, List.of(bobId))).put(CREDENTIALS + "/" + name)
                .then().statusCode(200).body("users", equalTo(List.of(bobId)));
        Api.as(bob).get(CREDENTIALS + "/" + name).then().statusCode(200).body("owner", equalTo(aliceId))
                .body("users", equalTo(List.of(bobId)));
        assertThat(names(Api.as(bob))).contains(name);
        assertThat(names(Api.as(alice))).contains(name);

        // seen, so a refused change says why: 403
        Api.as(bob).contentType(ContentType.JSON).body(vault(name, List.of(bobId))).put(CREDENTIALS + "/" + name)
                .then().statusCode(403).contentType("application/problem+json");
        Api.as(bob).delete(CREDENTIALS + "/" + name).then().statusCode(403).contentType("application/problem+json");
        Api.as(alice).get(CREDENTIALS + "/" + name).then().statusCode(200).body("updatedBy", equalTo(aliceId));

        Api.as(alice).delete(CREDENTIALS + "/" + name).then().statusCode(204);
        Api.as(bob).get(CREDENTIALS + "/" + name).then().statusCode(404);
    }

    @Test
    void aViewerCreatesNothingButSeesWhatIsSharedWithIt() {
        String viewerId = "viewer-" + suffix;
        String viewer = Api.token(viewerId, "viewer");
        String name = "for-viewer-" + suffix;
        Api.as(viewer).contentType(ContentType.JSON).body(vault("by-viewer-" + suffix, List.of())).post(CREDENTIALS)
                .then().statusCode(403).contentType("application/problem+json");
        create(alice, name, List.of(viewerId)).then().statusCode(201);
        Api.as(viewer).get(CREDENTIALS + "/" + name).then().statusCode(200);
        Api.as(viewer).delete(CREDENTIALS + "/" + name).then().statusCode(403);
        Api.as(viewer).contentType(ContentType.JSON).body(vault(name, List.of())).put(CREDENTIALS + "/" + name)
                .then().statusCode(403);
        assertThat(names(Api.as(viewer))).containsExactly(name);
    }

    @Test
    void anAdminSeesAndManagesEveryonesCredentials() {
        String alices = "alices-" + suffix;
        String bobs = "bobs-" + suffix;
        create(alice, alices, List.of()).then().statusCode(201);
        create(bob, bobs, List.of()).then().statusCode(201);
        assertThat(names(Api.as(alice))).contains(alices).doesNotContain(bobs);
        assertThat(names(Api.as(bob))).contains(bobs).doesNotContain(alices);
        assertThat(names(given())).contains(alices, bobs);

        given().contentType(ContentType.JSON).body(vault(bobs, List.of(aliceId))).put(CREDENTIALS + "/" + bobs)
                .then().statusCode(200).body("owner", equalTo(bobId));
        assertThat(names(Api.as(alice))).contains(alices, bobs);
        given().delete(CREDENTIALS + "/" + alices).then().statusCode(204);
        Api.as(alice).get(CREDENTIALS + "/" + alices).then().statusCode(404);
    }

    @Test
    void aNameIsTakenWhoeverOwnsIt() {
        String name = "taken-" + suffix;
        create(alice, name, List.of()).then().statusCode(201);
        create(bob, name, List.of()).then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/credential-conflict"));
        Api.as(bob).get(CREDENTIALS + "/" + name).then().statusCode(404);
    }

    private static Response create(String token, String name, List<String> users) {
        return Api.as(token).contentType(ContentType.JSON).body(vault(name, users)).post(CREDENTIALS);
    }

    private static Map<String, Object> vault(String name, List<String> users) {
        return Map.of("name", name, "kind", "vault", "password", "pw-" + name, "users", users);
    }

    private static List<String> names(RequestSpecification as) {
        String body = as.get(CREDENTIALS).then().statusCode(200).extract().asString();
        assertThat(body).doesNotContain("pw-");
        return io.restassured.path.json.JsonPath.from(body).getList("name", String.class);
    }

    private static void notFound(Response response, String detail) {
        response.then().statusCode(404).contentType("application/problem+json")
                .body("type", endsWith("/credential-not-found")).body("detail", equalTo(detail));
    }
}
