package io.charon.jobs.submission;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Jobs that name a stored inventory and credentials, on either store: what a job records of
 * them at submission, and what a submission and a change of them do to each other. The jobs are
 * scheduled a day ahead: nothing here runs.
 */
@QuarkusTest
class HostReferencesTest {

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aJobRecordsTheVersionAndTheHostsItsLimitSelectsAndKeepsThemThroughAnUpdate() {
        String inventory = inventory(List.of("web1", "web2"));
        String vault = credential("vault", Map.of("kind", "vault", "password", "v"));
        String become = credential("become", Map.of("kind", "become", "password", "b"));

        JsonPath job = JsonPath.from(Api.post(job(inventory, "web:!web2", vault, become)).then().statusCode(201)
                .extract().asString());
        assertThat(job.getList("inventory")).containsExactly("web1");
        assertThat(job.getInt("inventoryVersion")).isEqualTo(1);
        assertThat(job.getString("inventoryRef")).isEqualTo(inventory);
        assertThat(job.getString("limit")).isEqualTo("web:!web2");
        assertThat(job.getList("credentials")).containsExactly(vault, become);

        given().contentType(ContentType.JSON).body(inventoryBody(List.of("web1", "web2", "web3")))
                .put("/api/v1/inventories/" + inventory).then().statusCode(200).body("version", equalTo(2));
        JsonPath same = Api.get(job.getString("id"));
        assertThat(same.getInt("inventoryVersion")).isEqualTo(1);
        assertThat(same.getList("inventory")).containsExactly("web1");
        JsonPath later = JsonPath.from(Api.post(job(inventory, "web")).then().statusCode(201).extract().asString());
        assertThat(later.getInt("inventoryVersion")).isEqualTo(2);
        assertThat(later.getList("inventory")).containsExactly("web1", "web2", "web3");

        // both wait for the jobs that name them
        given().delete("/api/v1/inventories/" + inventory).then().statusCode(409);
        given().delete("/api/v1/credentials/" + vault).then().statusCode(409);
        Api.cancel(job.getString("id"));
        Api.cancel(later.getString("id"));
        given().delete("/api/v1/credentials/" + vault).then().statusCode(204);
        given().delete("/api/v1/inventories/" + inventory).then().statusCode(204);
    }

    @Test
    void aRelaunchResolvesTheInventoryAgainWithTheRightsOfItsCaller() {
        String alice = Api.token("alice-" + suffix, "operator");
        String inventory = inventory(List.of("web1"));
        given().contentType(ContentType.JSON).body(withUsers(inventoryBody(List.of("web1")), List.of("alice-" + suffix)))
                .put("/api/v1/inventories/" + inventory).then().statusCode(200).body("version", equalTo(2));
        String id = Api.as(alice).contentType(ContentType.JSON).body(job(inventory, "web")).post("/api/v1/jobs")
                .then().statusCode(201).body("inventoryVersion", equalTo(2)).extract().path("id");
        Api.as(alice).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);

        // still shared, and changed: the relaunch runs on the hosts its limit selects now
        given().contentType(ContentType.JSON).body(withUsers(inventoryBody(List.of("web1", "web2")), List.of("alice-" + suffix)))
                .put("/api/v1/inventories/" + inventory).then().statusCode(200).body("version", equalTo(3));
        String again = Api.as(alice).post("/api/v1/jobs/" + id + "/relaunch").then().statusCode(201)
                .body("inventoryVersion", equalTo(3)).body("inventory", equalTo(List.of("web1", "web2")))
                .extract().path("id");
        Api.as(alice).post("/api/v1/jobs/" + again + "/cancel");

        // no longer shared: the relaunch is refused as a submission would be
        given().contentType(ContentType.JSON).body(inventoryBody(List.of("web1", "web2")))
                .put("/api/v1/inventories/" + inventory).then().statusCode(200);
        Api.as(alice).post("/api/v1/jobs/" + id + "/relaunch").then().statusCode(400)
                .body("errors[0].field", equalTo("inventoryRef"));
    }

    @Test
    void anIdempotentRepeatIsRecognisedAfterTheInventoryChanged() {
        String inventory = inventory(List.of("web1"));
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = job(inventory, null); // one body: its scheduledAt is part of the request
        String id = given().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body(inventoryBody(List.of("web1", "web2")))
                .put("/api/v1/inventories/" + inventory).then().statusCode(200);
        given().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/jobs").then().statusCode(200).body("id", equalTo(id)).body("inventoryVersion", equalTo(1));
        Api.cancel(id);
    }

    @Test
    void credentialsMustExistAndDifferInKind() {
        String inventory = inventory(List.of("web1"));
        String first = credential("vault-a", Map.of("kind", "vault", "password", "a"));
        String second = credential("vault-b", Map.of("kind", "vault", "password", "b"));
        Api.post(job(inventory, null, first, second)).then().statusCode(400)
                .body("errors[0].field", equalTo("credentials[1]"))
                .body("errors[0].reason", equalTo("is a second vault credential; a job names at most one of each kind"));
        Api.post(job(inventory, null, "missing-" + suffix)).then().statusCode(400)
                .body("errors[0].field", equalTo("credentials[0]"))
                .body("errors[0].reason", equalTo("no credential named missing-" + suffix));
        Api.post(job(inventory, "web3")).then().statusCode(400).body("errors[0].field", equalTo("limit"))
                .body("errors[0].reason", equalTo("selects no host of inventory " + inventory));
    }

    private Map<String, Object> job(String inventory, String limit, String... credentials) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "names stored things");
        body.put("playbook", "hello.yml");
        body.put("inventoryRef", inventory);
        body.put("scheduledAt", Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        if (limit != null) {
            body.put("limit", limit);
        }
        body.put("credentials", List.of(credentials));
        return body;
    }

    private String inventory(List<String> webHosts) {
        String name = "hosts-" + suffix + "-" + UUID.randomUUID().toString().substring(0, 4);
        Map<String, Object> body = new HashMap<>(inventoryBody(webHosts));
        body.put("name", name);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/inventories").then().statusCode(201);
        return name;
    }

    private static Map<String, Object> inventoryBody(List<String> webHosts) {
        Map<String, Object> hosts = new HashMap<>();
        webHosts.forEach(host -> hosts.put(host, Map.of()));
        hosts.put("db1", Map.of());
        return Map.of("hosts", hosts, "groups", Map.of("web", Map.of("hosts", webHosts), "db", Map.of("hosts",
                List.of("db1"))));
    }

    private static Map<String, Object> withUsers(Map<String, Object> body, List<String> users) {
        Map<String, Object> shared = new HashMap<>(body);
        shared.put("users", users);
        return shared;
    }

    private String credential(String name, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("name", name + "-" + suffix);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/credentials").then().statusCode(201);
        return name + "-" + suffix;
    }
}
