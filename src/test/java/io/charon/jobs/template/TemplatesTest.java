package io.charon.jobs.template;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Templates through the REST API: versions, parameter checks of every type (one 400 listing every
 * bad field), defaults, secret parameters masked, who may launch, idempotent launches, and
 * relaunches of template jobs.
 */
@QuarkusTest
class TemplatesTest {

    private static final String PATH = "/api/v1/templates";

    private String name;

    @BeforeEach
    void name() {
        name = "tpl-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A template of params.yml with a parameter of every type. */
    private Map<String, Object> template(List<String> allowedUsers) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("description", "shows its parameters");
        body.put("playbook", "params.yml");
        body.put("inventory", List.of("localhost"));
        body.put("variables", Map.of("message", "from the template", "count", "0"));
        body.put("tags", List.of("templated"));
        body.put("allowedUsers", allowedUsers);
        List<Map<String, Object>> parameters = new ArrayList<>();
        parameters.add(Map.of("name", "message", "type", "string", "min", 2, "max", 20, "pattern", "[a-z ]+"));
        parameters.add(Map.of("name", "count", "type", "integer", "required", true, "min", 1, "max", 10));
        parameters.add(Map.of("name", "ratio", "type", "number", "default", 0.5, "min", 0, "max", 1));
        parameters.add(Map.of("name", "dry_run", "type", "boolean", "default", true));
        parameters.add(Map.of("name", "flavour", "type", "choice", "choices", List.of("vanilla", "mint"),
                "default", "mint"));
        parameters.add(Map.of("name", "regions", "type", "multichoice", "choices", List.of("eu", "us", "ap"),
                "max", 2));
        parameters.add(Map.of("name", "password", "type", "secret", "required", true, "min", 8,
                "description", "the service's password"));
        body.put("parameters", parameters);
        return body;
    }

    private String create(Map<String, Object> body) {
        given().contentType(ContentType.JSON).body(body).post(PATH).then().statusCode(201);
        return name;
    }

    private static Response launch(String template, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(PATH + "/" + template + "/launch");
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return Map.of("parameters", values);
    }

    @Test
    void aLaunchRunsTheTemplateWithDefaultsAndItsSecretMaskedEverywhere() {
        create(template(List.of()));
        String secret = "pw-" + UUID.randomUUID();
        JsonPath job = launch(name, values("count", 3, "password", secret, "regions", List.of("eu", "ap")))
                .then().statusCode(201).extract().jsonPath();
        String id = job.getString("id");
        assertThat(job.getString("template")).isEqualTo(name);
        assertThat(job.getInt("templateVersion")).isEqualTo(1);
        assertThat(job.getString("name")).isEqualTo(name);
        assertThat(job.getList("tags")).containsExactly("templated");
        assertThat(job.getMap("variables")).containsEntry("message", "from the template").containsEntry("count", "3")
                .containsEntry("ratio", "0.5").containsEntry("dry_run", "true").containsEntry("flavour", "mint")
                .containsEntry("regions", "[\"eu\",\"ap\"]").doesNotContainKey("password");
        assertThat(job.getList("secretVariables")).containsExactly("password");

        JsonPath done = Api.awaitTerminal(id);
        assertThat(done.getString("status")).isEqualTo("completed");
        String log = given().get("/api/v1/jobs/" + id + "/log").asString();
        assertThat(log).contains("message=from the template count=3 password=********");
        String everything = given().get("/api/v1/jobs/" + id).asString() + given().get("/api/v1/jobs/" + id + "/events").asString()
                + log + given().get(PATH + "/" + name + "/versions").asString()
                + given().get("/api/v1/audit?limit=500").asString();
        assertThat(everything).doesNotContain(secret);
    }

    @Test
    void everyBadParameterIsListedInOne400AndNothingIsStored() {
        create(template(List.of()));
        int before = given().get("/api/v1/jobs?tag=templated&limit=500").then().statusCode(200).extract()
                .jsonPath().getList("items").size();
        JsonPath problem = launch(name, Map.of("parameters", Map.of("message", "UPPER", "count", 11, "ratio", "half",
                "dry_run", "yes", "flavour", "lemon", "regions", List.of("eu", "mars", "eu"), "unknown", 1),
                "priority", "urgent")).then().statusCode(400).extract().jsonPath();
        Map<String, String> errors = new HashMap<>();
        problem.getList("errors", Map.class).forEach(e -> errors.put((String) e.get("field"), (String) e.get("reason")));
        assertThat(errors).containsOnlyKeys("parameters.message", "parameters.count", "parameters.ratio",
                "parameters.dry_run", "parameters.flavour", "parameters.regions", "parameters.regions[1]", "parameters.regions[2]",
                "parameters.password", "parameters.unknown", "priority");
        assertThat(errors.get("parameters.message")).contains("pattern");
        assertThat(errors.get("parameters.count")).contains("between 1 and 10");
        assertThat(errors.get("parameters.ratio")).contains("a number");
        assertThat(errors.get("parameters.dry_run")).contains("true or false");
        assertThat(errors.get("parameters.flavour")).contains("vanilla, mint");
        assertThat(errors.get("parameters.password")).isEqualTo("is required");

        Map<String, String> more = errorsOf(launch(name, values("message", "a", "count", 2.5, "ratio", 1.5,
                "regions", List.of("eu", "us", "ap"), "password", "short")));
        assertThat(more).containsOnlyKeys("parameters.message", "parameters.count", "parameters.ratio",
                "parameters.regions", "parameters.password");
        assertThat(more.get("parameters.message")).contains("between 2 and 20 characters");
        assertThat(more.get("parameters.count")).contains("an integer");
        assertThat(more.get("parameters.regions")).contains("at most 2 choices");
        assertThat(more.get("parameters.password")).contains("at least 8 characters");
        // beyond a double's range: refused by field, not a 500
        assertThat(errorsOf(launch(name, "{\"parameters\": {\"ratio\": 1e400}}"))).containsKey("parameters.ratio");
        assertThat(given().get("/api/v1/jobs?tag=templated&limit=500").then().extract().jsonPath().getList("items"))
                .hasSize(before);
    }

    @Test
    void aTemplateIsCheckedWhenStoredAndEveryChangeIsAVersion() {
        Map<String, Object> bad = template(List.of("not a user"));
        bad.put("playbook", "missing.yml");
        bad.put("parameters", List.of(Map.of("name", "x", "type", "date"),
                Map.of("name", "y", "type", "choice"),
                Map.of("name", "z", "type", "secret", "default", "clear"),
                Map.of("name", "ansible_user", "type", "string"),
                Map.of("name", "w", "type", "integer", "min", 5, "max", 1, "pattern", "(")));
        Map<String, String> errors = errorsOf(given().contentType(ContentType.JSON).body(bad).post(PATH));
        assertThat(errors).containsOnlyKeys("playbook", "allowedUsers[0]", "parameters[0].type",
                "parameters[1].choices", "parameters[2].default", "parameters[3].name", "parameters[4].max",
                "parameters[4].pattern");
        given().get(PATH + "/" + name).then().statusCode(404);

        create(template(List.of()));
        given().contentType(ContentType.JSON).body(template(List.of())).post(PATH).then().statusCode(409);
        Map<String, Object> second = template(List.of());
        second.put("variables", Map.of("message", "second version", "count", "0"));
        given().contentType(ContentType.JSON).body(second).put(PATH + "/" + name).then().statusCode(200)
                .body("version", org.hamcrest.Matchers.equalTo(2));
        JsonPath versions = given().get(PATH + "/" + name + "/versions").then().statusCode(200).extract().jsonPath();
        assertThat(versions.getList("version", Integer.class)).containsExactly(1, 2);
        assertThat(given().get(PATH + "/" + name + "/versions/1").then().statusCode(200).extract()
                .jsonPath().getString("variables.message")).isEqualTo("from the template");
        given().get(PATH + "/" + name + "/versions/3").then().statusCode(404);

        String operator = Api.token("op-" + name, "operator");
        Api.as(operator).contentType(ContentType.JSON).body(second).put(PATH + "/" + name).then().statusCode(403);
        Api.as(operator).delete(PATH + "/" + name).then().statusCode(403);
        given().delete(PATH + "/" + name).then().statusCode(204);
        given().get(PATH + "/" + name + "/versions").then().statusCode(404);
    }

    @Test
    void onlyTheAllowedUsersMayLaunchAndARelaunchRerunsTheSameVersion() {
        String alice = Api.token("alice-" + name, "operator");
        String bob = Api.token("bob-" + name, "operator");
        create(template(List.of("alice-" + name)));
        Map<String, Object> launch = values("count", 2, "password", "long enough");
        Api.as(bob).get(PATH + "/" + name).then().statusCode(404);
        Api.as(bob).contentType(ContentType.JSON).body(launch).post(PATH + "/" + name + "/launch").then().statusCode(404);
        assertThat(Api.as(bob).get(PATH).then().statusCode(200).extract().jsonPath().getList("name")).doesNotContain(name);
        String id = Api.as(alice).contentType(ContentType.JSON).header("Idempotency-Key", "k-" + name).body(launch)
                .post(PATH + "/" + name + "/launch").then().statusCode(201).extract().path("id");
        Api.as(alice).contentType(ContentType.JSON).header("Idempotency-Key", "k-" + name).body(launch)
                .post(PATH + "/" + name + "/launch").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("id", org.hamcrest.Matchers.equalTo(id));
        Api.as(alice).contentType(ContentType.JSON).header("Idempotency-Key", "k-" + name)
                .body(values("count", 3, "password", "long enough")).post(PATH + "/" + name + "/launch")
                .then().statusCode(409);
        assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");

        Map<String, Object> second = template(List.of("alice-" + name));
        second.put("variables", Map.of("message", "second version", "count", "0"));
        given().contentType(ContentType.JSON).body(second).put(PATH + "/" + name).then().statusCode(200);
        JsonPath again = Api.as(alice).post("/api/v1/jobs/" + id + "/relaunch").then().statusCode(201).extract().jsonPath();
        assertThat(again.getString("template")).isEqualTo(name);
        assertThat(again.getInt("templateVersion")).isEqualTo(1);
        assertThat(again.getString("variables.message")).isEqualTo("from the template");
        assertThat(again.getList("secretVariables")).containsExactly("password");
        assertThat(Api.awaitTerminal(again.getString("id")).getString("status")).isEqualTo("completed");
        String next = Api.as(alice).contentType(ContentType.JSON).body(launch).post(PATH + "/" + name + "/launch")
                .then().statusCode(201).extract().path("id");
        assertThat(Api.get(next).getInt("templateVersion")).isEqualTo(2);
        assertThat(Api.get(next).getString("variables.message")).isEqualTo("second version");
        Api.awaitTerminal(next);
    }

    private static Map<String, String> errorsOf(Response response) {
        Map<String, String> errors = new HashMap<>();
        response.then().statusCode(400).extract().jsonPath().getList("errors", Map.class)
                .forEach(e -> errors.put((String) e.get("field"), (String) e.get("reason")));
        return errors;
    }
}
