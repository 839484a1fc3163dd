package io.charon.jobs.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.inventory.InventoryDocument.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The YAML inventory a run is given, read back by Ansible's own ansible-inventory and ansible. */
class InventoryYamlTest {

    private static final String TEMPLATE = "{{ lookup('pipe','id') }}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final InventoryDocument DOCUMENT = new InventoryDocument(
            Map.of("web1", Map.of("ansible_host", "10.0.0.11", "role", "front"),
                    "web2", Map.of(),
                    "db1", Map.of("ansible_port", "2222", "evil", TEMPLATE, "quoted", "a \"b\" \\ c\n\té ☃ 𝄞"),
                    "lone", Map.of()),
            Map.of("web", new Group(List.of("web1", "web2"), List.of(), Map.of("tier", "web")),
                    "db", new Group(List.of("db1"), List.of(), Map.of()),
                    "prod", new Group(List.of(), List.of("web", "db"), Map.of("env", "prod", "tier", "any")),
                    "dc1", new Group(List.of(), List.of("prod"), Map.of()),
                    "empty", new Group(List.of(), List.of(), Map.of())),
            Map.of("greeting", "hello", "env", "default"));

    @Test
    void ansibleReadsTheHostsGroupsChildrenAndVariablesAsGiven(@TempDir Path dir) throws Exception {
        Path inventory = AnsibleCommands.inventoryFile(dir, DOCUMENT);
        AnsibleCommands.Run run = AnsibleCommands.run(dir, "ansible-inventory", "-i", inventory.toString(), "--list");
        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode list = JSON.readTree(run.output().substring(run.output().indexOf('{')));

        assertThat(names(list.path("web").path("hosts"))).containsExactly("web1", "web2");
        assertThat(names(list.path("db").path("hosts"))).containsExactly("db1");
        assertThat(names(list.path("prod").path("children"))).containsExactlyInAnyOrder("web", "db");
        assertThat(names(list.path("dc1").path("children"))).containsExactly("prod");
        assertThat(names(list.path("ungrouped").path("hosts"))).containsExactly("lone");
        assertThat(names(list.path("all").path("children"))).contains("dc1", "prod", "web", "db", "empty", "ungrouped");

        JsonNode hostvars = list.path("_meta").path("hostvars");
        assertThat(vars(hostvars.path("web1"))).isEqualTo(Map.of("ansible_host", "10.0.0.11", "role", "front",
                "greeting", "hello", "env", "prod", "tier", "web"));
        assertThat(vars(hostvars.path("db1"))).isEqualTo(Map.of("ansible_port", "2222", "evil", TEMPLATE,
                "quoted", "a \"b\" \\ c\n\té ☃ 𝄞", "greeting", "hello", "env", "prod", "tier", "any"));
        assertThat(vars(hostvars.path("lone"))).isEqualTo(Map.of("greeting", "hello", "env", "default"));
    }

    @Test
    void aTemplateInAValueStaysText(@TempDir Path dir) throws Exception {
        Path inventory = AnsibleCommands.inventoryFile(dir, DOCUMENT);
        AnsibleCommands.Run run = AnsibleCommands.run(dir, "ansible", "db1", "-i", inventory.toString(),
                "-c", "local", "-m", "debug", "-a", "var=evil");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("\"evil\": \"" + TEMPLATE + "\"").doesNotContain("uid=");
    }

    /** A port written as literal text is still the port ssh connects to. */
    @Test
    void anUnsafePortIsStillThePortSshUses(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        InventoryDocument document = new InventoryDocument(Map.of("target",
                Map.of("ansible_host", "127.0.0.1", "ansible_port", Integer.toString(closed), "ansible_user", "nobody")),
                Map.of(), Map.of());
        Path inventory = AnsibleCommands.inventoryFile(dir, document);

        AnsibleCommands.Run host = AnsibleCommands.run(dir, "ansible-inventory", "-i", inventory.toString(), "--host",
                "target");
        assertThat(vars(JSON.readTree(host.output().substring(host.output().indexOf('{')))))
                .containsEntry("ansible_port", Integer.toString(closed));
        AnsibleCommands.Run ping = AnsibleCommands.run(dir, "ansible", "target", "-i", inventory.toString(), "-m", "ping");
        assertThat(ping.output()).contains("UNREACHABLE").contains("port " + closed);
    }

    @Test
    void anEmptyInventoryIsAValidOne(@TempDir Path dir) throws Exception {
        Path inventory = AnsibleCommands.inventoryFile(dir, new InventoryDocument(null, null, null));
        AnsibleCommands.Run run = AnsibleCommands.run(dir, "ansible-inventory", "-i", inventory.toString(), "--list");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("WARNING");
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.asText()));
        return names;
    }

    /** Variables as ansible-inventory prints them: text, or {"__ansible_unsafe": text} for an unsafe value. */
    private static Map<String, String> vars(JsonNode host) {
        Map<String, String> vars = new TreeMap<>();
        host.fields().forEachRemaining(field -> vars.put(field.getKey(), field.getValue().has("__ansible_unsafe")
                ? field.getValue().get("__ansible_unsafe").asText() : field.getValue().asText()));
        return vars;
    }
}
