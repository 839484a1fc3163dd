package io.charon.jobs.credential;

import io.charon.jobs.credential.KeyPairs.KeyPair;
import io.charon.jobs.store.Store;
import io.charon.jobs.support.Api;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * Credentials through the API: each kind stored, an ssh key checked with ssh-add and shown by
 * its fingerprint, secrets never shown, rotated by a replacement, audited without secrets, kept
 * while a job that has not ended names it, and no key left on disk.
 */
@QuarkusTest
class CredentialApiTest {

    private static final String CREDENTIALS = "/api/v1/credentials";

    @TempDir
    Path keys;
    private String suffix;

    @BeforeEach
    void suffix() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void sshKeysOfBothFormsWithAndWithoutPassphraseAreStoredWithTheirFingerprints() throws Exception {
        List<KeyPair> pairs = List.of(KeyPairs.ed25519(keys, null), KeyPairs.ed25519(keys, "ed pass " + suffix),
                KeyPairs.rsaPem(keys, null), KeyPairs.rsaPem(keys, "pem pass " + suffix));
        List<String> names = new ArrayList<>();
        StringBuilder everything = new StringBuilder();
        for (KeyPair pair : pairs) {
            String name = "ssh-" + names.size() + "-" + suffix;
            names.add(name);
            Response created = post(ssh(name, pair));
            created.then().statusCode(201).header("Location", endsWith(CREDENTIALS + "/" + name))
                    .body("kind", equalTo("ssh")).body("username", equalTo("deploy"))
                    .body("fingerprint", equalTo(pair.fingerprint()))
                    .body("hasPassphrase", equalTo(pair.passphrase() != null))
                    .body("owner", equalTo(adminUser())).body("createdBy", equalTo(adminUser()));
            everything.append(created.asString()).append(given().get(CREDENTIALS + "/" + name).then().statusCode(200)
                    .body("fingerprint", equalTo(pair.fingerprint())).extract().asString());
        }
        String listed = given().get(CREDENTIALS).then().statusCode(200).extract().asString();
        assertThat(JsonPath.from(listed).getList("name", String.class)).containsAll(names);
        everything.append(listed);
        for (KeyPair pair : pairs) {
            assertThat(everything.toString()).doesNotContain(keyBody(pair.privateKey()));
            if (pair.passphrase() != null) {
                assertThat(everything.toString()).doesNotContain(pair.passphrase());
            }
        }
        assertNothingOnDisk(pairs);
    }

    @Test
    void aPastedKeyWithWindowsLineEndsAndNoFinalOneIsTaken() throws Exception {
        KeyPair pair = KeyPairs.ed25519(keys, null);
        String pasted = pair.privateKey().strip().replace("\n", "\r\n");
        post(Map.of("name", "pasted-" + suffix, "kind", "ssh", "username", "deploy", "privateKey", pasted))
                .then().statusCode(201).body("fingerprint", equalTo(pair.fingerprint()));
    }

    @Test
    void aKeyOrPassphraseThatSshAddRefusesIsABadRequestNamingTheField() throws Exception {
        KeyPair locked = KeyPairs.ed25519(keys, "the right one " + suffix);
        KeyPair lockedPem = KeyPairs.rsaPem(keys, "the right pem " + suffix);
        KeyPair open = KeyPairs.ed25519(keys, null);
        String wrong = "not the passphrase " + suffix;
        String name = "refused-" + suffix;

        List<String> answers = new ArrayList<>();
        answers.add(refused(with(ssh(name, locked), "passphrase", wrong), "passphrase", "passphrase does not open"));
        answers.add(refused(with(ssh(name, lockedPem), "passphrase", wrong), "passphrase", "passphrase"));
        answers.add(refused(with(ssh(name, locked), "passphrase", null), "passphrase", "is required"));
        answers.add(refused(with(ssh(name, open), "passphrase", wrong), "passphrase", "not encrypted"));
        String garbage = "-----BEGIN OPENSSH PRIVATE KEY-----\nZ2FyYmFnZSBnYXJiYWdl" + suffix + "\n-----END OPENSSH PRIVATE KEY-----\n";
        answers.add(refused(with(ssh(name, open), "privateKey", garbage), "privateKey", ""));
        answers.add(refused(with(ssh(name, open), "privateKey", "just some text " + suffix), "privateKey", ""));
        String truncated = open.privateKey().substring(0, open.privateKey().length() / 2);
        answers.add(refused(with(ssh(name, open), "privateKey", truncated), "privateKey", ""));
        answers.add(refused(with(ssh(name, open), "privateKey", "x".repeat(16 * 1024 + 1)), "privateKey", "16384"));

        given().get(CREDENTIALS + "/" + name).then().statusCode(404);
        for (String answer : answers) {
            assertThat(answer).doesNotContain(wrong, keyBody(locked.privateKey()), keyBody(open.privateKey()),
                    keyBody(lockedPem.privateKey()), "Z2FyYmFnZSBnYXJiYWdl" + suffix, "just some text");
        }
        assertNothingOnDisk(List.of(locked, lockedPem, open));
    }

    @Test
    void becomeAndVaultCredentialsKeepTheirPasswordsToThemselves() {
        String sudo = "sudo-password-" + suffix;
        String vault = "vault-password-" + suffix;
        StringBuilder everything = new StringBuilder();
        everything.append(post(Map.of("name", "become-" + suffix, "kind", "become", "password", sudo))
                .then().statusCode(201).body("method", equalTo("sudo")).body("hasPassword", equalTo(true))
                .extract().asString());
        everything.append(post(Map.of("name", "su-" + suffix, "kind", "become", "method", "su", "username", "postgres",
                        "description", "to the database user")).then().statusCode(201)
                .body("method", equalTo("su")).body("username", equalTo("postgres")).body("hasPassword", equalTo(false))
                .body("description", equalTo("to the database user")).extract().asString());
        everything.append(post(Map.of("name", "vault-" + suffix, "kind", "vault", "password", vault))
                .then().statusCode(201).body("kind", equalTo("vault")).extract().asString());
        everything.append(given().get(CREDENTIALS + "/vault-" + suffix).then().statusCode(200).extract().asString());
        everything.append(given().get(CREDENTIALS + "/become-" + suffix).then().statusCode(200).extract().asString());
        everything.append(given().get(CREDENTIALS).then().statusCode(200).extract().asString());
        assertThat(everything.toString()).doesNotContain(sudo, vault).doesNotContain("\"password\"");

        refused(Map.of("name", "v2-" + suffix, "kind", "vault"), "password", "is required");
        refused(Map.of("name", "v2-" + suffix, "kind", "vault", "password", "a\nb"), "password", "line breaks");
        refused(Map.of("name", "v2-" + suffix, "kind", "vault", "password", "x", "username", "u"), "username",
                "not a field of a vault credential");
        refused(Map.of("name", "b2-" + suffix, "kind", "become", "method", "sudoo"), "method", "sudo, su, doas");
        refused(Map.of("name", "s2-" + suffix, "kind", "ssh", "privateKey", "x"), "username", "is required");
        refused(Map.of("name", "bad name", "kind", "vault", "password", "x"), "name", "letters");
        refused(Map.of("name", "k-" + suffix, "kind", "kerberos"), "kind", "ssh, become, vault");
        refused(Map.of("name", "u-" + suffix, "kind", "vault", "password", "x", "users", List.of("ok", "not ok")),
                "users[1]", "letters");
        // a body that is not JSON is refused without quoting it
        String unquoted = "{\"name\": \"j-" + suffix + "\", \"kind\": \"vault\", \"password\": " + vault + "}";
        assertThat(given().contentType(ContentType.JSON).body(unquoted).post(CREDENTIALS).then().statusCode(400)
                .body("errors[0].field", equalTo("body")).extract().asString()).doesNotContain(vault);
    }

    @Test
    void aReplacementRotatesTheKeyAndKeepsTheKind() throws Exception {
        String alice = Api.token("alice-" + suffix, "operator");
        KeyPair first = KeyPairs.ed25519(keys, null);
        KeyPair second = KeyPairs.rsaPem(keys, "second pass " + suffix);
        String name = "rotated-" + suffix;
        JsonPath created = Api.as(alice).contentType(ContentType.JSON).body(ssh(name, first)).post(CREDENTIALS)
                .then().statusCode(201).extract().jsonPath();

        Map<String, Object> replacement = with(ssh(name, second), "username", "ops");
        replacement.put("users", List.of("carol-" + suffix));
        String answer = given().contentType(ContentType.JSON).body(replacement).put(CREDENTIALS + "/" + name)
                .then().statusCode(200).body("fingerprint", equalTo(second.fingerprint()))
                .body("username", equalTo("ops")).body("hasPassphrase", equalTo(true))
                .body("users", equalTo(List.of("carol-" + suffix)))
                .body("owner", equalTo("alice-" + suffix)).body("createdBy", equalTo("alice-" + suffix))
                .body("updatedBy", equalTo(adminUser())).extract().asString();
        assertThat(answer).doesNotContain(keyBody(second.privateKey()), second.passphrase());
        JsonPath now = given().get(CREDENTIALS + "/" + name).then().statusCode(200).extract().jsonPath();
        assertThat(now.getString("fingerprint")).isEqualTo(second.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(Instant.parse(now.getString("updatedAt"))).isAfterOrEqualTo(Instant.parse(created.getString("createdAt")));
        assertThat(now.getString("createdAt")).isEqualTo(created.getString("createdAt"));

        given().contentType(ContentType.JSON).body(Map.of("kind", "vault", "password", "x")).put(CREDENTIALS + "/" + name)
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("kind ssh"));
        given().contentType(ContentType.JSON).body(with(ssh("other-" + suffix, first), "kind", "ssh"))
                .put(CREDENTIALS + "/" + name).then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().contentType(ContentType.JSON).body(ssh("missing-" + suffix, first)).put(CREDENTIALS + "/missing-" + suffix)
                .then().statusCode(404).contentType("application/problem+json");
        assertThat(given().get(CREDENTIALS + "/" + name).jsonPath().getString("fingerprint")).isEqualTo(second.fingerprint());
    }

    @Test
    void everyChangeIsAuditedWithoutItsSecrets() throws Exception {
        KeyPair pair = KeyPairs.ed25519(keys, "audited pass " + suffix);
        String name = "audited-" + suffix;
        post(ssh(name, pair)).then().statusCode(201);
        given().contentType(ContentType.JSON).body(with(ssh(name, pair), "description", "rotated"))
                .put(CREDENTIALS + "/" + name).then().statusCode(200);
        given().delete(CREDENTIALS + "/" + name).then().statusCode(204);
        given().get(CREDENTIALS + "/" + name).then().statusCode(404);

        String trail = given().get("/api/v1/audit?target=" + name).then().statusCode(200).extract().asString();
        JsonPath entries = JsonPath.from(trail);
        assertThat(entries.getList("items.action", String.class))
                .containsExactly("credential.delete", "credential.update", "credential.create");
        assertThat(entries.getList("items.principal", String.class)).containsOnly(adminUser());
        assertThat(entries.getList("items.outcome", String.class)).containsOnly("success");
        assertThat(entries.getString("items[2].detail")).contains("kind ssh", "username deploy", pair.fingerprint());
        assertThat(trail).doesNotContain(pair.passphrase(), keyBody(pair.privateKey()));
    }

    @Test
    void aCredentialThatAJobNotYetEndedNamesIsKept() throws SQLException {
        String named = "in-use_" + suffix;
        String lookalike = "in-useX" + suffix; // what LIKE's _ would match as well
        post(Map.of("name", named, "kind", "vault", "password", "p")).then().statusCode(201);
        post(Map.of("name", "free_" + suffix, "kind", "vault", "password", "p")).then().statusCode(201);
        String job = scheduledJobNaming(List.of("other-" + suffix, named));
        scheduledJobNaming(List.of("freeX" + suffix, lookalike));

        given().delete(CREDENTIALS + "/" + named).then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/credential-conflict")).body("detail", containsString("1 job"));
        given().get(CREDENTIALS + "/" + named).then().statusCode(200);
        given().delete(CREDENTIALS + "/free_" + suffix).then().statusCode(204);

        given().post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200);
        given().delete(CREDENTIALS + "/" + named).then().statusCode(204);
        given().delete(CREDENTIALS + "/" + named).then().statusCode(404);
    }

    /** A job scheduled far ahead (it stays unended), whose credentials column names {@code names}. */
    private static String scheduledJobNaming(List<String> names) throws SQLException {
        Map<String, Object> body = Api.job("names credentials", "hello.yml");
        body.put("scheduledAt", Instant.now().plus(3650, ChronoUnit.DAYS).toString());
        String id = Api.submit(body);
        Store store = Arc.container().instance(Store.class).get();
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE jobs SET credentials = ? WHERE id = ?")) {
            update.setString(1, "[\"" + String.join("\",\"", names) + "\"]");
            update.setString(2, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        return id;
    }

    private static Response post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post(CREDENTIALS);
    }

    /** Posts a request that must be refused for {@code field}; returns the whole answer. */
    private static String refused(Map<String, Object> body, String field, String reason) {
        return post(body).then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == '" + field + "' }.reason", containsString(reason))
                .extract().asString();
    }

    private static Map<String, Object> ssh(String name, KeyPair pair) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "kind", "ssh", "username", "deploy",
                "privateKey", pair.privateKey()));
        if (pair.passphrase() != null) {
            body.put("passphrase", pair.passphrase());
        }
        return body;
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    /** A line from the middle of the key's base64: what any copy of the key holds, whatever its line ends. */
    private static String keyBody(String privateKey) {
        List<String> lines = privateKey.lines().filter(line -> !line.startsWith("-----") && !line.contains(":")
                && !line.isBlank()).toList();
        return lines.get(lines.size() / 2);
    }

    private static String adminUser() {
        return ConfigProvider.getConfig().getOptionalValue("charon.security.admin-user", String.class).orElse("admin");
    }

    private static Path workDir() {
        return Path.of(ConfigProvider.getConfig().getValue("charon.ansible.work-dir", String.class));
    }

    /** No key check's directory is left in the work directory, and no file there holds a key or passphrase. */
    private static void assertNothingOnDisk(List<KeyPair> pairs) throws IOException {
        Path work = workDir();
        assertThat(work).as("the key checks' parent").isDirectory();
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path path : paths.toList()) {
                assertThat(path.getFileName().toString()).as(path.toString()).doesNotStartWith("key-");
                if (Files.isRegularFile(path)) {
                    String text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
                    for (KeyPair pair : pairs) {
                        assertThat(text).as(path.toString()).doesNotContain(keyBody(pair.privateKey()));
                        if (pair.passphrase() != null) {
                            assertThat(text).as(path.toString()).doesNotContain(pair.passphrase());
                        }
                    }
                }
            }
        }
    }
}
