package io.charon.jobs.hosts;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.SecretScan;
import io.charon.jobs.support.SshFleet;
import io.charon.jobs.support.SshFleet.Host;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.charon.jobs.support.SecretScan.filesHolding;
import static io.charon.jobs.support.SecretScan.processesMentioning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Jobs on real SSH hosts through the REST API: stored inventories and credentials, every kind of
 * credential, host key policies, limits, sharing, and secrets that stay sealed. The hosts are
 * {@code sshd} daemons on loopback addresses of this machine. Hosts that cannot be reached, and
 * why, are SshHostsRunTest's: the runner's outcome is what a job shows.
 */
@QuarkusTest
@Tag("store-independent") // what is under test is the way to the hosts; the stores' side is in the inventory and credential tests
class FleetJobsTest {

    static final String VAULT_PASSWORD = "fleet-vault-password-7d1e";

    @RegisterExtension
    static final SshFleet fleet = SshFleet.create(4);

    @Test
    void aKeyAndAStoredInventoryOfTwoGroupsRunOnThreeHostsThatEachSayWhoTheyAre() {
        String key = credential(ssh("key", fleet.keyText(), null));
        String inventory = inventory(Map.of("web", group(List.of(fleet.host(0), fleet.host(1))),
                "db", group(List.of(fleet.host(2))), "spare", group(List.of(fleet.host(3)))), "strict", fleet.knownHosts());

        JsonPath job = run(job("hosts-whoami.yml", inventory, "web:db", key));

        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("completed");
        assertThat(job.getList("inventory")).containsExactly("host1", "host2", "host3");
        assertThat(job.getInt("inventoryVersion")).isEqualTo(1);
        assertThat(job.getMap("hostStats").keySet()).containsExactlyInAnyOrder("host1", "host2", "host3");
        String log = log(job);
        for (Host host : fleet.hosts().subList(0, 3)) {
            assertThat(log).contains(host.name() + " reached at " + host.address() + ":" + host.port());
        }
        assertThat(log).doesNotContain(fleet.host(3).address() + ":" + fleet.host(3).port());

        JsonPath onlyDb = run(job("hosts-whoami.yml", inventory, "db", key));
        assertThat(onlyDb.getList("inventory")).containsExactly("host3");
        assertThat(onlyDb.getMap("hostStats").keySet()).containsExactly("host3");
    }

    @Test
    void aPassphraseKeyABecomePasswordAndAVaultPasswordEachDoTheirPart() {
        String key = credential(ssh("passphrase-key", fleet.passphraseKeyText(), fleet.passphrase()));
        String become = credential(Map.of("name", unique("sudo"), "kind", "become", "password", fleet.sudoPassword()));
        String vault = credential(Map.of("name", unique("vault"), "kind", "vault", "password", VAULT_PASSWORD));
        String inventory = inventory(Map.of("web", group(List.of(fleet.host(0)))), "strict", fleet.knownHosts());

        JsonPath asRoot = run(job("hosts-become.yml", inventory, null, key, become));
        assertThat(asRoot.getString("status")).as(asRoot.prettify()).isEqualTo("completed");
        assertThat(log(asRoot)).contains("host1 ran as uid 0");

        JsonPath vaulted = run(job("hosts-vault.yml", inventory, null, key, vault));
        assertThat(vaulted.getString("status")).as(vaulted.prettify()).isEqualTo("completed");
        assertThat(log(vaulted)).contains("the vault says opened-by-the-vault-credential");

        JsonPath withoutVault = run(job("hosts-vault.yml", inventory, null, key));
        assertThat(withoutVault.getString("status")).isEqualTo("failed");
        assertThat(withoutVault.getString("errorMessage")).containsIgnoringCase("vault");
    }

    @Test
    void acceptNewRecordsFirstSeenKeysAndThenRefusesAChangedOne() {
        String key = credential(ssh("key", fleet.keyText(), null));
        Host first = fleet.host(0);
        Host second = fleet.host(1);
        String inventory = inventory(Map.of("pair", group(List.of(first, second))), "accept-new", "");

        JsonPath learning = run(job("hosts-whoami.yml", inventory, null, key));
        assertThat(learning.getString("status")).as(learning.prettify()).isEqualTo("completed");
        JsonPath stored = given().get("/api/v1/inventories/" + inventory).then().statusCode(200).extract().jsonPath();
        assertThat(stored.getInt("version")).isEqualTo(2);
        assertThat(stored.getString("knownHosts")).contains(first.hostKey().split(" ")[1])
                .contains(second.hostKey().split(" ")[1]);

        Host changed = fleet.changeHostKey(first);
        JsonPath refusing = run(job("hosts-whoami.yml", inventory, null, key));
        assertThat(refusing.getString("status")).isEqualTo("failed");
        assertThat(refusing.getString("errorMessage")).contains(changed.name())
                .containsAnyOf("REMOTE HOST IDENTIFICATION HAS CHANGED", "Host key verification failed");
        assertThat(log(refusing)).contains(second.name() + " reached at " + second.address());
        // nothing learned from a refused key: no new version
        JsonPath after = given().get("/api/v1/inventories/" + inventory).then().extract().jsonPath();
        assertThat(after.getString("knownHosts")).doesNotContain(changed.hostKey().split(" ")[1]);
        assertThat(after.getInt("version")).isEqualTo(2);
    }

    @Test
    void noSecretReachesACommandLineTheEnvironmentTheApiOrTheDisk() throws Exception {
        String key = credential(ssh("passphrase-key", fleet.passphraseKeyText(), fleet.passphrase()));
        String become = credential(Map.of("name", unique("sudo"), "kind", "become", "password", fleet.sudoPassword()));
        String vault = credential(Map.of("name", unique("vault"), "kind", "vault", "password", VAULT_PASSWORD));
        List<String> secrets = secretsOf(fleet.passphraseKeyText(), fleet.passphrase(), fleet.sudoPassword(), VAULT_PASSWORD);
        String id;
        try (Gate gate = new Gate()) {
            Map<String, Object> body = gate.job("holds every kind of credential");
            body.put("credentials", List.of(key, become, vault));
            // an ssh credential needs the known hosts of a stored inventory
            Api.post(body).then().statusCode(400).body("errors[0].field", equalTo("credentials[0]"));
            body.remove("inventory");
            body.put("inventoryRef", inventory(Map.of("localhost", new HashMap<>()), Map.of(), "strict", ""));
            id = Api.submit(body);
            await().atMost(Duration.ofSeconds(60)).until(() -> log(id).contains("TASK [Wait for the gate file]"));
            // the run holds them now: its agent, its password files
            for (String secret : secrets) {
                assertThat(processesMentioning(secret)).as("processes mentioning a secret").isEmpty();
            }
            gate.open();
            assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");
        }
        String everything = given().get("/api/v1/jobs/" + id).asString()
                + given().get("/api/v1/jobs/" + id + "/events").asString()
                + log(id)
                + given().get("/api/v1/credentials").asString()
                + given().get("/api/v1/audit?limit=500").asString();
        Path dataDir = Path.of(ConfigProvider.getConfig().getValue("charon.jobs.data-dir", String.class));
        for (String secret : secrets) {
            assertThat(everything).doesNotContain(secret);
            assertThat(filesHolding(dataDir, secret)).as("files holding a secret").isEmpty();
        }
        // no run directory is left (the service's own files start with a dot)
        try (var left = Files.list(dataDir.resolve("work"))) {
            assertThat(left.filter(path -> !path.getFileName().toString().startsWith(".")).toList()).isEmpty();
        }
    }

    @Test
    void whatIsNotSharedCannotBeSeenOrUsedAndAViewerCreatesNothing() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String alice = Api.token("alice-" + suffix, "operator");
        String bob = Api.token("bob-" + suffix, "operator");
        String viewer = Api.token("vera-" + suffix, "viewer");
        Map<String, Object> keyBody = ssh("alices-key", fleet.keyText(), null);
        String key = keyBody.get("name").toString();
        Api.as(alice).contentType(ContentType.JSON).body(keyBody).post("/api/v1/credentials").then().statusCode(201);
        String inventory = unique("alices-hosts");
        Api.as(alice).contentType(ContentType.JSON).body(inventoryBody(inventory, hosts(List.of(fleet.host(0))), Map.of(),
                "strict", fleet.knownHosts())).post("/api/v1/inventories").then().statusCode(201);

        Api.as(bob).get("/api/v1/credentials/" + key).then().statusCode(404);
        Api.as(bob).get("/api/v1/inventories/" + inventory).then().statusCode(404);
        Map<String, Object> bobsJob = job("hosts-whoami.yml", inventory, null, key);
        Api.as(bob).contentType(ContentType.JSON).body(bobsJob).post("/api/v1/jobs").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("inventoryRef", "credentials[0]"));
        Api.as(viewer).contentType(ContentType.JSON).body(ssh("viewers-key", fleet.keyText(), null))
                .post("/api/v1/credentials").then().statusCode(403);

        String aliceJob = Api.as(alice).contentType(ContentType.JSON).body(job("hosts-whoami.yml", inventory, null, key))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        assertThat(Api.as(alice).get("/api/v1/jobs/" + aliceJob + "/wait?timeout=PT60S").then().extract()
                .path("status").toString()).isEqualTo("completed");
    }

    @Test
    void aJobNamesExactlyOneInventoryAndALimitThatSelectsHosts() {
        String inventory = inventory(Map.of("web", group(List.of(fleet.host(0)))), "strict", fleet.knownHosts());
        Map<String, Object> both = job("hosts-whoami.yml", inventory, null);
        both.put("inventory", List.of("localhost"));
        Api.post(both).then().statusCode(400).body("errors[0].field", equalTo("inventoryRef"));
        Api.post(job("hosts-whoami.yml", inventory, "db", new String[0])).then().statusCode(400)
                .body("errors[0].field", equalTo("limit")).body("errors[0].reason", containsString("selects no host"));
        Api.post(job("hosts-whoami.yml", inventory, "-web", new String[0])).then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        Api.post(job("hosts-whoami.yml", unique("missing"), null)).then().statusCode(400)
                .body("errors[0].field", equalTo("inventoryRef"));
    }

    // --- requests and bodies ---

    private static JsonPath run(Map<String, Object> body) {
        return Api.awaitTerminal(Api.submit(body), Duration.ofSeconds(120));
    }

    private static Map<String, Object> job(String playbook, String inventory, String limit, String... credentials) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "on the fleet");
        body.put("playbook", playbook);
        body.put("inventoryRef", inventory);
        if (limit != null) {
            body.put("limit", limit);
        }
        if (credentials.length > 0) {
            body.put("credentials", List.of(credentials));
        }
        return body;
    }

    private static String log(JsonPath job) {
        return log(job.getString("id"));
    }

    private static String log(String id) {
        return given().get("/api/v1/jobs/" + id + "/log").asString();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> ssh(String name, String privateKey, String passphrase) {
        Map<String, Object> body = new HashMap<>(Map.of("name", unique(name), "kind", "ssh", "username", fleet.user(),
                "privateKey", privateKey));
        if (passphrase != null) {
            body.put("passphrase", passphrase);
        }
        return body;
    }

    private static String credential(Map<String, Object> body) {
        given().contentType(ContentType.JSON).body(body).post("/api/v1/credentials").then().statusCode(201);
        return body.get("name").toString();
    }

    /** Each host by name, with the address and port Ansible reaches it on. */
    private static Map<String, Map<String, String>> hosts(List<Host> hosts) {
        Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        hosts.forEach(host -> byName.put(host.name(), new HashMap<>(Map.of("ansible_host", host.address(),
                "ansible_port", String.valueOf(host.port()), "ansible_python_interpreter", "/usr/bin/python3"))));
        return byName;
    }

    private static Object group(List<Host> hosts) {
        return Map.of("hosts", hosts.stream().map(Host::name).toList());
    }

    private static String inventory(Map<String, Object> groups, String policy, String knownHosts) {
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
        groups.values().forEach(group -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) ((Map<String, Object>) group).get("hosts");
            names.forEach(name -> hosts.putAll(hosts(List.of(fleet.hosts().stream()
                    .filter(host -> host.name().equals(name)).findFirst().orElseThrow()))));
        });
        return inventory(hosts, groups, policy, knownHosts);
    }

    private static String inventory(Map<String, Map<String, String>> hosts, Map<String, Object> groups, String policy,
                                    String knownHosts) {
        String name = unique("fleet");
        given().contentType(ContentType.JSON).body(inventoryBody(name, hosts, groups, policy, knownHosts))
                .post("/api/v1/inventories").then().statusCode(201);
        return name;
    }

    private static Map<String, Object> inventoryBody(String name, Map<String, Map<String, String>> hosts,
                                                     Map<String, Object> groups, String policy, String knownHosts) {
        return Map.of("name", name, "hosts", hosts, "groups", groups, "vars", Map.of("ansible_user", fleet.user()),
                "hostKeyPolicy", policy, "knownHosts", knownHosts);
    }

    /** The secret texts to look for: the key's lines (long enough to be unique) and each password. */
    private static List<String> secretsOf(String privateKey, String... passwords) {
        List<String> secrets = new java.util.ArrayList<>(SecretScan.keyLines(privateKey));
        secrets.addAll(List.of(passwords));
        return secrets;
    }
}
