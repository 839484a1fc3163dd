package io.charon.jobs.inventory;

import io.charon.jobs.store.Store;
import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.charon.jobs.support.StoreUnderTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Stored inventories through the REST API: versions, validation, sharing and isolation, roles,
 * the audit trail, deletion while jobs name them, and host keys learned by runs.
 */
@QuarkusTest
class InventoriesTest {

    private static final String PATH = "/api/v1/inventories";
    private static final String KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKCqOzQsOGP8umaginU3pFQsH6+7QW1OxqGZn+gDQ9D+";
    private static final String KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF5kh0Jc12IqYGqwK6fvuihHz6O/Rb0VV3cfM4tm5+b1";
    private static final String KEY_C = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGRQhYQgeR"
            + "McTbCvZAy43/JiADKLUvxXCr9iJ7EEs2TZS/YoqIRb0sHzv7ZeWaOQj+BLNZ2cCaU1A8JnVe3neZY=";

    @Inject
    Inventories inventories;

    @Inject
    Store store;

    private String suffix;
    private String alice;
    private String aliceId;
    private String bob;
    private String bobId;
    private String dave;
    private String viewer;
    private String viewerId;

    @BeforeEach
    void users() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        aliceId = "alice-" + suffix;
        bobId = "bob-" + suffix;
        viewerId = "carol-" + suffix;
        alice = Api.token(aliceId, "operator");
        bob = Api.token(bobId, "operator");
        dave = Api.token("dave-" + suffix, "operator");
        viewer = Api.token(viewerId, "viewer");
    }

    private static Map<String, Object> inventory(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("hosts", Map.of("web1", Map.of("ansible_host", "10.0.0.11", "ansible_user", "deploy"),
                "web2", Map.of("ansible_port", "2222"), "db1", Map.of()));
        body.put("groups", Map.of("web", Map.of("hosts", List.of("web1", "web2")),
                "prod", Map.of("children", List.of("web"), "hosts", List.of("db1"), "vars", Map.of("env", "prod"))));
        body.put("vars", Map.of("greeting", "{{ lookup('pipe','id') }}"));
        return body;
    }

    private static RequestSpecification as(String token) {
        return Api.as(token).contentType(ContentType.JSON);
    }

    private String name(String what) {
        return what + "-" + suffix;
    }

    private JsonPath create(String token, Map<String, Object> body) {
        return as(token).body(body).post(PATH).then().statusCode(201).extract().jsonPath();
    }

    @Test
    void createReadReplaceDeleteKeepingEveryVersion() {
        String name = name("crud");
        Response created = as(alice).body(inventory(name)).post(PATH);
        created.then().statusCode(201).header("Location", endsWith(PATH + "/" + name))
                .body("version", equalTo(1)).body("owner", equalTo(aliceId)).body("createdBy", equalTo(aliceId))
                .body("hostKeyPolicy", equalTo("strict")).body("knownHosts", equalTo(""))
                .body("hosts.web2.ansible_port", equalTo("2222"))
                .body("groups.prod.children", equalTo(List.of("web")))
                .body("vars.greeting", equalTo("{{ lookup('pipe','id') }}"));
        Api.as(alice).get(PATH + "/" + name).then().statusCode(200).body("version", equalTo(1))
                .body("groups.web.hosts", equalTo(List.of("web1", "web2")));
        as(alice).body(inventory(name)).post(PATH).then().statusCode(409)
                .contentType("application/problem+json").body("detail", equalTo("an inventory named " + name + " exists already"));

        Map<String, Object> second = inventory(null);
        second.put("hosts", Map.of("web9", Map.of()));
        second.remove("groups"); // left out: none, as for every field a replacement leaves out
        second.remove("vars");
        second.put("hostKeyPolicy", "accept-new");
        second.put("knownHosts", "web9 " + KEY_A + "\n");
        as(alice).body(second).put(PATH + "/" + name).then().statusCode(200).body("version", equalTo(2))
                .body("hosts", equalTo(Map.of("web9", Map.of()))).body("vars", equalTo(Map.of()))
                .body("hostKeyPolicy", equalTo("accept-new")).body("owner", equalTo(aliceId));
        Map<String, Object> third = inventory(name);
        as(alice).body(third).put(PATH + "/" + name).then().statusCode(200).body("version", equalTo(3))
                .body("hostKeyPolicy", equalTo("strict")).body("knownHosts", equalTo(""));

        assertThat(versions(name)).containsExactly("1 strict web1,web2,db1", "2 accept-new web9", "3 strict web1,web2,db1");
        assertThat(Api.as(alice).get(PATH).then().statusCode(200).extract().jsonPath().getList("name", String.class))
                .contains(name);

        Api.as(alice).delete(PATH + "/" + name).then().statusCode(204);
        Api.as(alice).get(PATH + "/" + name).then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no inventory named " + name));
        as(alice).body(third).put(PATH + "/" + name).then().statusCode(404);
        Api.as(alice).delete(PATH + "/" + name).then().statusCode(404);
        assertThat(versions(name)).isEmpty();
        // the name is free again, from version 1
        create(alice, inventory(name));
        assertThat(versions(name)).hasSize(1);
    }

    @Test
    void invalidInventoriesAreRefusedNamingEveryFieldAndChangeNothing() {
        String name = name("invalid");
        Map<String, Object> body = inventory(name);
        body.put("hosts", Map.of("web1", Map.of("ansible_ssh_pass", "secret", "ansible_user", "fine")));
        body.put("groups", Map.of("a", Map.of("children", List.of("b"), "hosts", List.of("web1", "ghost")),
                "b", Map.of("children", List.of("a", "nosuch"))));
        JsonPath problem = as(alice).body(body).post(PATH).then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getList("errors.field", String.class)).containsExactlyInAnyOrder(
                "hosts.web1.ansible_ssh_pass", "groups.a.hosts", "groups.b.children", "groups.a.children");
        assertThat(problem.getString("errors.find { it.field == 'groups.a.children' }.reason"))
                .isEqualTo("form a cycle: a -> b -> a");
        Api.as(alice).get(PATH + "/" + name).then().statusCode(404);

        create(alice, inventory(name));
        Map<String, Object> bad = inventory(name);
        bad.put("hostKeyPolicy", "lenient");
        as(alice).body(bad).put(PATH + "/" + name).then().statusCode(400).body("errors[0].field", equalTo("hostKeyPolicy"));
        as(alice).body(inventory("other")).put(PATH + "/" + name).then().statusCode(400).body("errors[0].field", equalTo("name"));
        as(alice).body("{\"hosts\": {}, \"colour\": \"blue\"}").put(PATH + "/" + name).then().statusCode(400)
                .body("errors[0].field", equalTo("colour"));
        as(alice).body("{\"hosts\": {\"web1\": {\"ansible_port\": 22}}}").put(PATH + "/" + name).then().statusCode(400)
                .body("errors[0].field", equalTo("hosts.web1.ansible_port"));
        as(alice).body(Map.of("name", "bad name")).post(PATH).then().statusCode(400).body("errors[0].field", equalTo("name"));
        Api.as(alice).get(PATH + "/" + name).then().statusCode(200).body("version", equalTo(1));
        assertThat(versions(name)).hasSize(1);
    }

    @Test
    void sharedUsersReadAndUseOthersDoNotSeeIt() {
        String name = name("shared");
        Map<String, Object> body = inventory(name);
        body.put("users", List.of(bobId, viewerId));
        create(alice, body);
        String missing = name("missing");

        Api.as(bob).get(PATH + "/" + name).then().statusCode(200).body("owner", equalTo(aliceId));
        Api.as(viewer).get(PATH + "/" + name).then().statusCode(200);
        assertThat(Api.as(bob).get(PATH).then().statusCode(200).extract().jsonPath().getList("name", String.class))
                .contains(name);
        as(bob).body(inventory(name)).put(PATH + "/" + name).then().statusCode(403).contentType("application/problem+json");
        Api.as(bob).delete(PATH + "/" + name).then().statusCode(403);

        // to anyone else it answers word for word as one that does not exist
        for (String which : List.of(name, missing)) {
            String detail = "no inventory named " + which;
            notFound(Api.as(dave).get(PATH + "/" + which), detail);
            notFound(as(dave).body(inventory(which)).put(PATH + "/" + which), detail);
            notFound(Api.as(dave).delete(PATH + "/" + which), detail);
        }
        assertThat(Api.as(dave).get(PATH).then().statusCode(200).extract().jsonPath().getList("name", String.class))
                .doesNotContain(name);
        assertThat(inventories.usable(name, bobId, false).version()).isEqualTo(1);
        assertThat(inventories.usable(name, "anyone", true).name()).isEqualTo(name);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> inventories.usable(name, "dave-" + suffix, false))
                .isInstanceOf(InventoryNotFoundException.class);

        // an admin sees and manages every inventory; the owner stays
        given().get(PATH + "/" + name).then().statusCode(200);
        assertThat(given().get(PATH).then().statusCode(200).extract().jsonPath().getList("name", String.class)).contains(name);
        given().contentType(ContentType.JSON).body(inventory(name)).put(PATH + "/" + name).then().statusCode(200)
                .body("owner", equalTo(aliceId)).body("updatedBy", equalTo("admin")).body("users", equalTo(List.of()));
        Api.as(bob).get(PATH + "/" + name).then().statusCode(404);
    }

    @Test
    void aViewerCannotCreateChangeOrDelete() {
        String name = name("viewer");
        as(viewer).body(inventory(name)).post(PATH).then().statusCode(403).contentType("application/problem+json");
        Map<String, Object> body = inventory(name);
        body.put("users", List.of(viewerId));
        create(alice, body);
        as(viewer).body(inventory(name)).put(PATH + "/" + name).then().statusCode(403);
        Api.as(viewer).delete(PATH + "/" + name).then().statusCode(403);
        Api.as(viewer).get(PATH + "/" + name).then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void everyChangeIsAudited() {
        String name = name("audited");
        create(alice, inventory(name));
        Map<String, Object> off = inventory(name);
        off.put("hostKeyPolicy", "off");
        as(alice).body(off).put(PATH + "/" + name).then().statusCode(200);
        Api.as(alice).delete(PATH + "/" + name).then().statusCode(204);

        List<Map<String, Object>> entries = given().get("/api/v1/audit?target=" + name).then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(entries).extracting(e -> e.get("action") + " " + e.get("principal") + " " + e.get("outcome"))
                .containsExactly("inventory.delete " + aliceId + " success", "inventory.update " + aliceId + " success",
                        "inventory.create " + aliceId + " success");
        assertThat((String) entries.get(2).get("detail")).startsWith("version 1, 3 hosts, 2 groups, host key policy strict")
                .doesNotContain("off");
        assertThat((String) entries.get(1).get("detail")).contains("version 2", "host key checking is off");
        assertThat((String) entries.get(0).get("detail")).isEqualTo("at version 2");
    }

    @Test
    void anInventoryNamedByAJobThatHasNotEndedCannotBeDeleted() throws SQLException {
        String name = name("in-use");
        create(alice, inventory(name));
        Map<String, Object> job = Api.job("waits", "hello.yml");
        job.put("scheduledAt", Instant.now().plus(1, ChronoUnit.DAYS).toString());
        String id = as(alice).body(job).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        execute("UPDATE jobs SET inventory_ref = ?, inventory_version = 1 WHERE id = ?", name, id);

        Api.as(alice).delete(PATH + "/" + name).then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("inventory " + name + " is named by 1 job that has not ended; delete it once"
                        + " it has ended or been cancelled"));
        Api.as(alice).get(PATH + "/" + name).then().statusCode(200);
        assertThat(versions(name)).hasSize(1);

        Api.as(alice).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        Api.as(alice).delete(PATH + "/" + name).then().statusCode(204);
    }

    @Test
    void hostKeysLearnedByARunMakeAVersionOnlyWhenNew() {
        String name = name("learn");
        Map<String, Object> body = inventory(name);
        body.put("hostKeyPolicy", "accept-new");
        body.put("knownHosts", "# pinned\nweb1 " + KEY_A + " first\n");
        create(alice, body);

        inventories.learnHostKeys(name, List.of("web1 " + KEY_A, "", "[10.0.0.2]:2222 " + KEY_B, "db1 " + KEY_C,
                "garbage"), "job-" + suffix);
        JsonPath learned = Api.as(alice).get(PATH + "/" + name).then().statusCode(200).extract().jsonPath();
        assertThat(learned.getInt("version")).isEqualTo(2);
        assertThat(learned.getString("updatedBy")).isEqualTo("job:job-" + suffix);
        assertThat(learned.getString("knownHosts")).isEqualTo("# pinned\nweb1 " + KEY_A + " first\n"
                + "[10.0.0.2]:2222 " + KEY_B + "\ndb1 " + KEY_C + "\n");

        inventories.learnHostKeys(name, List.of("db1 " + KEY_C + " other comment", "web1 " + KEY_A), "job-again");
        // a second key of a type web1 already has: another run met an impostor, or web1 changed its key
        inventories.learnHostKeys(name, List.of("web1 " + KEY_B), "job-other");
        inventories.learnHostKeys(name, List.of(), "job-again");
        inventories.learnHostKeys(name("gone"), List.of("web1 " + KEY_A), "job-gone");
        Api.as(alice).get(PATH + "/" + name).then().statusCode(200).body("version", equalTo(2));
        assertThat(versions(name)).hasSize(2);

        List<Map<String, Object>> entries = given().get("/api/v1/audit?action=inventory.learn-host-keys&target=" + name)
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).satisfies(entry -> {
            assertThat(entry.get("principal")).isEqualTo("job:job-other");
            assertThat(entry.get("outcome")).isEqualTo("failed");
            assertThat((String) entry.get("detail")).isEqualTo("refused 1 host keys that differ from a key already"
                    + " known for web1 ssh-ed25519");
        });
        assertThat(entries.get(1)).satisfies(entry -> {
            assertThat(entry.get("principal")).isEqualTo("job:job-" + suffix);
            assertThat((String) entry.get("detail")).isEqualTo("version 2: 2 host keys learned for"
                    + " [10.0.0.2]:2222 ssh-ed25519, db1 ecdsa-sha2-nistp256");
        });
    }

    /**
     * A submission holds the inventory's row (as {@link Inventories#usable} takes it in the
     * submission's transaction) while it stores its job: a delete that comes meanwhile waits, then
     * sees the job and answers 409.
     */
    @Test
    void aDeleteWaitsForASubmissionThatHoldsTheInventory() throws Exception {
        String name = name("held");
        create(alice, inventory(name));
        Map<String, Object> job = Api.job("held", "hello.yml");
        job.put("scheduledAt", Instant.now().plus(1, ChronoUnit.DAYS).toString());
        String id = as(alice).body(job).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch deleteWaits = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> submission = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                assertThat(inventories.usable(name, aliceId, false).version()).isEqualTo(1);
                held.countDown();
                await(deleteWaits);
                store.session().createNativeMutationQuery("UPDATE jobs SET inventory_ref = :name, inventory_version = 1"
                        + " WHERE id = :id").setParameter("name", name).setParameter("id", id).executeUpdate();
            }));
            await(held);
            Future<Response> delete = pool.submit(() -> Api.as(alice).delete(PATH + "/" + name));
            if (StoreUnderTest.postgres()) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLocks() > 0);
            }
            deleteWaits.countDown();
            submission.get(60, TimeUnit.SECONDS);
            delete.get(60, TimeUnit.SECONDS).then().statusCode(409);
        } finally {
            deleteWaits.countDown();
            pool.shutdownNow();
        }
        Api.as(alice).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connections to this PostgreSQL database waiting for a lock on a row of inventories. */
    private long waitingOnLocks() throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity"
                     + " WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE '%inventories%'");
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Updates at once each make a version of their own: none is lost or made twice. */
    @Test
    void concurrentUpdatesMakeOneVersionEach() throws Exception {
        String name = name("concurrent");
        create(alice, inventory(name));
        int writers = 4;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Callable<List<Integer>> updates = () -> {
                    List<Integer> made = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        Map<String, Object> body = inventory(name);
                        body.put("vars", Map.of("writer", writer + "-" + i));
                        made.add(as(alice).body(body).put(PATH + "/" + name).then().statusCode(200)
                                .extract().path("version"));
                    }
                    return made;
                };
                results.add(pool.submit(updates));
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<List<Integer>> result : results) {
                versions.addAll(result.get());
            }
            assertThat(versions).doesNotHaveDuplicates().hasSize(writers * each);
        } finally {
            pool.shutdownNow();
        }
        Api.as(alice).get(PATH + "/" + name).then().statusCode(200).body("version", equalTo(1 + writers * each));
        assertThat(versions(name)).hasSize(1 + writers * each);
        given().get("/api/v1/audit?action=inventory.update&target=" + name + "&limit=100").then().statusCode(200)
                .body("items.size()", equalTo(writers * each)).body("items.principal", hasItem(aliceId));
    }

    private static void notFound(Response response, String detail) {
        response.then().statusCode(404).contentType("application/problem+json").body("detail", equalTo(detail));
    }

    /** Each kept version of {@code name}: number, host key policy and hosts. */
    private List<String> versions(String name) {
        List<String> versions = new ArrayList<>();
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT version, host_key_policy, document FROM inventory_versions WHERE name = ? ORDER BY version")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    JsonPath document = JsonPath.from(rows.getString(3));
                    versions.add(rows.getInt(1) + " " + rows.getString(2) + " "
                            + String.join(",", document.getMap("hosts").keySet().stream().map(String::valueOf)
                            .sorted((a, b) -> order(a) - order(b)).toList()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return versions;
    }

    private static int order(String host) {
        return List.of("web1", "web2", "db1", "web9").indexOf(host);
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }
}
