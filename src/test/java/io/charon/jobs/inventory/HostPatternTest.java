package io.charon.jobs.inventory;

import io.charon.jobs.inventory.InventoryDocument.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ansible's --limit patterns on a stored inventory, checked by hand and against Ansible itself. */
class HostPatternTest {

    /**
     * all: web1 web2 web3 db1 db2 lb.example.com 10.0.0.9 (ungrouped: lb.example.com, 10.0.0.9);
     * web: web1 web2 web3; db: db1 db2; prod: web (child) + db1; staging: web3 db2; dc1 -> prod
     */
    static final InventoryDocument FLEET = new InventoryDocument(hosts("web1", "web2", "web3", "db1", "db2",
            "lb.example.com", "10.0.0.9"), groups(), Map.of());

    private static Map<String, Map<String, String>> hosts(String... names) {
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
        for (String name : names) {
            hosts.put(name, Map.of());
        }
        return hosts;
    }

    private static Map<String, Group> groups() {
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put("web", new Group(List.of("web1", "web2", "web3"), List.of(), Map.of()));
        groups.put("db", new Group(List.of("db1", "db2"), List.of(), Map.of()));
        groups.put("prod", new Group(List.of("db1"), List.of("web"), Map.of()));
        groups.put("staging", new Group(List.of("web3", "db2"), List.of(), Map.of()));
        groups.put("dc1", new Group(List.of(), List.of("prod"), Map.of()));
        return groups;
    }

    /** Expected hosts, space-separated; '-' for none. */
    @ParameterizedTest(name = "{0} selects {1}")
    @CsvSource(delimiter = ' ', value = {
            "all 10.0.0.9,db1,db2,lb.example.com,web1,web2,web3",
            "* 10.0.0.9,db1,db2,lb.example.com,web1,web2,web3",
            "web web1,web2,web3",
            "web1 web1",
            "web,db1 db1,web1,web2,web3",
            "web:db1 db1,web1,web2,web3",
            "prod db1,web1,web2,web3",
            "dc1 db1,web1,web2,web3",
            "prod:&staging web3",
            "prod,&staging web3",
            "prod,!staging db1,web1,web2",
            "!web 10.0.0.9,db1,db2,lb.example.com",
            "&db db1,db2",
            "!prod,!staging 10.0.0.9,lb.example.com",
            "ungrouped 10.0.0.9,lb.example.com",
            "web? web1,web2,web3",
            "w* web1,web2,web3",
            "*.example.com lb.example.com",
            "10.0.0.* 10.0.0.9",
            "d* db1,db2,web1,web2,web3",
            "db? db1,db2",
            "nosuch -",
            "web,!web -",
            "!all -",
            "db,&web,!db1 -",
            "web1,web1,db1 db1,web1"})
    void selectsAsAnsibleDocuments(String pattern, String expected) {
        assertThat(HostPattern.select(FLEET, pattern)).containsExactlyElementsOf(expected(expected));
    }

    @Test
    void noPatternSelectsEveryHost() {
        assertThat(HostPattern.select(FLEET, null)).hasSize(7);
        assertThat(HostPattern.select(FLEET, " ")).hasSize(7);
        assertThat(HostPattern.select(new InventoryDocument(null, null, null), null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "web1,db1", "prod:&staging:!web3", "!web", "&db", "*", "web?", "all", "ungrouped",
            "10.0.0.9", "a-b_c.d", "web,"})
    void acceptsWhatItCanSelect(String pattern) {
        assertThat(HostPattern.problem(pattern)).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "web db|spaces",
            "~web.*|regular expression",
            "web[0]|subscript",
            "web[0:2]|subscript",
            "@hosts.txt|limit file",
            "-web|start with '-'",
            "web,-db|start with '-'",
            "web,db:x|not both",
            "web1:22|host and a port",
            "&|without a host",
            "web,!|without a host",
            "web/1|may hold only",
            "we$b|may hold only",
            ",,|names no host"})
    void refusesWhatItCannotSelectSayingWhy(String pattern, String reason) {
        assertThat(HostPattern.problem(pattern)).hasValueSatisfying(problem -> assertThat(problem).contains(reason));
        assertThatThrownBy(() -> HostPattern.select(FLEET, pattern)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOverlongPatternsAndControlCharacters() {
        assertThat(HostPattern.problem("a".repeat(HostPattern.MAX_LENGTH))).isEmpty();
        assertThat(HostPattern.problem("a".repeat(HostPattern.MAX_LENGTH + 1))).hasValue("must be at most 1000 characters");
        assertThat(HostPattern.problem("web\u0000")).isPresent();
        assertThat(HostPattern.problem(null)).isEmpty();
    }

    /** The same selections by ansible itself, on the inventory file a run is given. */
    @Test
    void selectsWhatAnsibleSelects(@TempDir Path dir) throws Exception {
        Path inventory = AnsibleCommands.inventoryFile(dir, FLEET);
        List<String> patterns = List.of("all", "web", "prod", "dc1", "prod:&staging", "prod,!staging", "!web",
                "&db", "!prod,!staging", "ungrouped", "w*", "*.example.com", "d?1", "d*", "db?", "nosuch", "db,&web,!db1",
                "web:db1");
        List<String> differences = new ArrayList<>();
        for (String pattern : patterns) {
            List<String> ansible = AnsibleCommands.listHosts(dir, inventory, pattern);
            List<String> ours = HostPattern.select(FLEET, pattern);
            if (!ansible.equals(ours)) {
                differences.add(pattern + ": ansible " + ansible + ", ours " + ours);
            }
        }
        assertThat(differences).isEmpty();
    }

    private static List<String> expected(String text) {
        return text.equals("-") ? List.of() : List.of(text.split(","));
    }
}
