package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Playbooks, hosts and variables that would let a submitter escape what the service allows. */
@QuarkusTest
class SafeInputTest {

    static final Path PLAYBOOKS = Path.of("src/test/resources/playbooks");

    @Test
    void aTemplateInjectionIsPassedThroughLiterallyAndRunsNothing() throws IOException {
        Path marker = Files.createTempDirectory("charon-injection").resolve("ran");
        String value = "{{ lookup('pipe', 'touch " + marker + "') }}{% raw %}x{% endraw %}";
        String id = Api.submit(Api.with(Api.job("injection", "echo.yml"), "variables", Map.of("message", value)));

        assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");
        String log = given().get("/api/v1/jobs/" + id + "/log").then().statusCode(200).extract().asString();
        assertThat(log).contains("message=" + value);
        assertThat(marker).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ansible_connection", "ansible_ssh_common_args", "ansible_python_interpreter",
            "ANSIBLE_BECOME", "ansible_become_password", "_raw_params", "hostvars", "inventory_hostname", "omit",
            "environment", "playbook_dir", "groups"})
    void reservedVariablesAreRefused(String name) {
        for (String field : List.of("variables", "secretVariables")) {
            Api.post(Api.with(Api.job("reserved", "hello.yml"), field, Map.of(name, "x")))
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(field + "." + name))
                    .body("errors[0].reason", containsString("charon.ansible.allowed-variables"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-oProxyCommand=touch /tmp/x", "[all]", "[evil]", "a b", "a,b", "host=1", "a\nb",
            "localhost ansible_connection=ssh", "#comment", ";x", "",
            "a-very-long-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on"})
    void hostsThatCouldSmuggleSomethingIntoTheInventoryAreRefused(String host) {
        Api.post(Api.with(Api.job("hosts", "hello.yml"), "inventory", List.of("localhost", host)))
                .then().statusCode(400).body("errors[0].field", equalTo("inventory[1]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../pom.yml", "../../../../etc/passwd.yml", "/etc/hosts.yml", "./../hello.yml",
            "sub/../../x.yml", "hello.yml\u0000.yml", "hello.txt", "hello", "", "."})
    void pathTraversalIsRefused(String playbook) {
        Api.post(Api.job("traversal", playbook)).then().statusCode(400).body("errors[0].field", equalTo("playbook"));
    }

    @Test
    void symlinksThatLeaveTheDirectoryOrDoNotLeadToAPlaybookAreRefused() throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path outside = Files.createTempDirectory("charon-outside");
        Files.writeString(outside.resolve("evil.yml"), "- hosts: all\n  tasks: []\n");
        List<Path> made = new ArrayList<>();
        try {
            made.add(Files.createSymbolicLink(PLAYBOOKS.resolve("escape-" + id + ".yml"), outside.resolve("evil.yml")));
            made.add(Files.createSymbolicLink(PLAYBOOKS.resolve("dir-" + id), outside));
            Path notYaml = Files.writeString(PLAYBOOKS.resolve("notes-" + id + ".txt"), "not a playbook");
            made.add(notYaml);
            made.add(Files.createSymbolicLink(PLAYBOOKS.resolve("notes-" + id + ".yml"), notYaml.getFileName()));
            made.add(Files.createDirectory(PLAYBOOKS.resolve("folder-" + id + ".yml")));

            refused("escape-" + id + ".yml", "resolves outside the playbook directory");
            refused("dir-" + id + "/evil.yml", "resolves outside the playbook directory");
            refused("notes-" + id + ".yml", "must resolve to a .yml or .yaml file");
            refused("folder-" + id + ".yml", "is not a readable regular file");
            // a link that stays inside and leads to a playbook is fine
            made.add(Files.createSymbolicLink(PLAYBOOKS.resolve("alias-" + id + ".yml"), Path.of("hello.yml")));
            Api.awaitTerminal(Api.submit(Api.job("alias", "alias-" + id + ".yml")));
        } finally {
            Collections.reverse(made);
            for (Path path : made) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void refused(String playbook, String reason) {
        Api.post(Api.job("link", playbook)).then().statusCode(400)
                .body("errors[0].field", equalTo("playbook")).body("errors[0].reason", equalTo(reason));
    }
}
