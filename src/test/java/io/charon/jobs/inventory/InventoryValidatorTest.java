package io.charon.jobs.inventory;

import io.charon.jobs.inventory.InventoryDocument.Group;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.security.Ownership;
import io.charon.jobs.job.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What an inventory may hold; every error at once, each naming its field. */
class InventoryValidatorTest {

    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKCqOzQsOGP8umaginU3pFQsH6+7QW1OxqGZn+gDQ9D+";

    private final InventoryValidator validator = new InventoryValidator(Set.of("ansible_connection"));

    private static InventoryChange change(Map<String, Map<String, String>> hosts, Map<String, Group> groups,
                                          Map<String, String> vars) {
        return new InventoryChange("fleet", hosts, groups, vars, null, null, null);
    }

    private List<FieldError> errors(InventoryChange change) {
        InvalidInputException e = catchThrowableOfType(() -> validator.content(change), InvalidInputException.class);
        assertThat(e).as("refused").isNotNull();
        return e.errors();
    }

    private List<String> fields(InventoryChange change) {
        return errors(change).stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsAnInventoryWithConnectionVariablesAndDefaultsTheRest() {
        InventoryContent content = validator.content(change(
                Map.of("web1", Map.of("ansible_host", "10.0.0.1", "ansible_port", "2222", "ansible_user", "deploy",
                                "ansible_become", "true", "ansible_become_user", "root",
                                "ansible_python_interpreter", "/usr/bin/python3"),
                        "10.0.0.2", Map.of()),
                Map.of("web", new Group(List.of("web1", "10.0.0.2"), List.of("db"), Map.of("ansible_user", "web")),
                        "db", new Group(null, null, null)),
                Map.of("ansible_connection", "ssh", "app_version", "{{ lookup('pipe','id') }}")));
        assertThat(content.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(content.knownHosts()).isEmpty();
        assertThat(content.users()).isEmpty();
        assertThat(content.document().hosts()).containsOnlyKeys("web1", "10.0.0.2");
        assertThat(content.document().vars()).containsEntry("app_version", "{{ lookup('pipe','id') }}");
    }

    @Test
    void refusesReservedVariablesAnywhereNamingTheField() {
        List<FieldError> errors = errors(change(
                Map.of("web1", Map.of("ansible_ssh_pass", "x", "ansible_user", "ok")),
                Map.of("web", new Group(List.of("web1"), null, Map.of("ansible_ssh_common_args", "-o ProxyCommand=x"))),
                Map.of("hostvars", "x", "_private", "y", "ANSIBLE_USER", "z", "1bad", "w")));
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("hosts.web1.ansible_ssh_pass",
                "groups.web.vars.ansible_ssh_common_args", "vars.hostvars", "vars._private", "vars.ANSIBLE_USER",
                "vars.1bad");
        assertThat(errors).filteredOn(e -> e.field().equals("hosts.web1.ansible_ssh_pass")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("reserved", "ansible_user"));
    }

    @Test
    void checksPortsBecomeValuesAndValueSizes() {
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
        hosts.put("a", Map.of("ansible_port", "0"));
        hosts.put("b", Map.of("ansible_port", "65536"));
        hosts.put("c", Map.of("ansible_port", "22x"));
        hosts.put("d", Map.of("ansible_port", "65535", "ansible_become", "yes"));
        hosts.put("e", Map.of("ansible_become", "sometimes"));
        hosts.put("f", Map.of("big", "x".repeat(InventoryValidator.MAX_VALUE + 1)));
        hosts.put("g", Map.of("nul", "a\u0000b"));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("empty", null);
        hosts.put("h", nullValue);
        assertThat(fields(change(hosts, null, null))).containsExactlyInAnyOrder("hosts.a.ansible_port",
                "hosts.b.ansible_port", "hosts.c.ansible_port", "hosts.e.ansible_become", "hosts.f.big", "hosts.g.nul",
                "hosts.h.empty");
    }

    /** Values Ansible puts on ssh's or a remote shell's command line must not be read as options or code. */
    @Test
    void addressesAndUserNamesCannotBecomeOptionsOrShellWords() {
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
        hosts.put("a", Map.of("ansible_host", "-oProxyCommand=touch /tmp/owned"));
        hosts.put("b", Map.of("ansible_host", "web 1"));
        hosts.put("c", Map.of("ansible_user", "-lroot"));
        hosts.put("d", Map.of("ansible_become_user", "root; id"));
        hosts.put("ok4", Map.of("ansible_host", "10.0.0.1", "ansible_user", "deploy"));
        hosts.put("ok6", Map.of("ansible_host", "fe80::1", "ansible_become_user", "app-svc"));
        hosts.put("okname", Map.of("ansible_host", "web1.example.com"));
        assertThat(fields(change(hosts, null, null))).containsExactlyInAnyOrder("hosts.a.ansible_host",
                "hosts.b.ansible_host", "hosts.c.ansible_user", "hosts.d.ansible_become_user");
    }

    @Test
    void groupsMustNameHostsAndGroupsThatExist() {
        List<FieldError> errors = errors(change(Map.of("web1", Map.of()),
                Map.of("web", new Group(List.of("web1", "web9", "web8"), List.of("nosuch"), null)), null));
        assertThat(errors).containsExactlyInAnyOrder(
                new FieldError("groups.web.hosts", "lists hosts that are not in hosts: web9, web8"),
                new FieldError("groups.web.children", "lists groups that are not in groups: nosuch"));
    }

    @Test
    void reportsACycleWithItsPath() {
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put("a", new Group(null, List.of("b"), null));
        groups.put("b", new Group(null, List.of("c"), null));
        groups.put("c", new Group(null, List.of("a"), null));
        groups.put("d", new Group(null, List.of("a"), null));
        assertThat(errors(change(null, groups, null)))
                .containsExactly(new FieldError("groups.a.children", "form a cycle: a -> b -> c -> a"));
        assertThat(errors(change(null, Map.of("self", new Group(null, List.of("self"), null)), null)))
                .containsExactly(new FieldError("groups.self.children", "form a cycle: self -> self"));
        // a diamond is no cycle
        Map<String, Group> diamond = Map.of("top", new Group(null, List.of("l", "r"), null),
                "l", new Group(null, List.of("bottom"), null), "r", new Group(null, List.of("bottom"), null),
                "bottom", new Group(null, null, null));
        assertThat(validator.content(change(null, diamond, null)).document().groups()).hasSize(4);
    }

    @Test
    void namesFollowTheirRules() {
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
        hosts.put("-oProxyCommand", Map.of());
        hosts.put("web 1", Map.of());
        hosts.put("web[1:3]", Map.of());
        hosts.put("all", Map.of());
        hosts.put("same", Map.of());
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put("ungrouped", new Group(null, null, null));
        groups.put("same", new Group(null, null, null));
        groups.put("we*b", new Group(null, null, null));
        assertThat(fields(change(hosts, groups, null))).containsExactlyInAnyOrder("hosts.-oProxyCommand",
                "hosts.web 1", "hosts.web[1:3]", "hosts.all", "groups.ungrouped", "groups.same", "groups.we*b");
        assertThatThrownBy(() -> validator.name("bad name")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("name: ");
        assertThatThrownBy(() -> validator.name(null)).hasMessage("name: is required");
        assertThat(validator.name("prod_eu-1.a")).isEqualTo("prod_eu-1.a");
    }

    @Test
    void countsAreBounded() {
        Map<String, Map<String, String>> hosts = new HashMap<>();
        for (int i = 0; i <= InventoryValidator.MAX_HOSTS; i++) {
            hosts.put("h" + i, Map.of());
        }
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i <= InventoryValidator.MAX_VARIABLES; i++) {
            vars.put("v" + i, "x");
        }
        Map<String, Group> groups = new HashMap<>();
        for (int i = 0; i <= InventoryValidator.MAX_GROUPS; i++) {
            groups.put("g" + i, new Group(null, null, null));
        }
        List<String> users = new ArrayList<>();
        for (int i = 0; i <= Ownership.MAX_USERS; i++) {
            users.add("u" + i);
        }
        assertThat(fields(new InventoryChange("x", hosts, groups, vars, null, null, users)))
                .containsExactlyInAnyOrder("hosts", "groups", "vars", "users");
    }

    @Test
    void hostKeyPolicyKnownHostsAndUsers() {
        InventoryContent content = validator.content(new InventoryChange("x", null, null, null, "accept-new",
                "# keys\r\n\r\nweb1,10.0.0.1 " + ED25519 + " comment here\r\n@cert-authority *.example.com " + ED25519,
                List.of("alice", "bob@example.com", "alice")));
        assertThat(content.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(content.knownHosts()).isEqualTo("# keys\n\nweb1,10.0.0.1 " + ED25519 + " comment here\n"
                + "@cert-authority *.example.com " + ED25519 + "\n");
        assertThat(content.users()).containsExactly("alice", "bob@example.com");

        List<FieldError> errors = errors(new InventoryChange("x", null, null, null, "sometimes",
                "web1 " + ED25519 + "\nweb2 ssh-ed25519\nweb3 ssh-rsa " + ED25519.substring(12) + "\n"
                        + "web4 ssh-ed25519 not-base64!\n@revoke web5 " + ED25519,
                List.of("-alice", "ok")));
        assertThat(errors).containsExactly(
                new FieldError("hostKeyPolicy", "must be one of strict, accept-new, off"),
                new FieldError("knownHosts", "line 2 must be 'hostpattern keytype base64key [comment]'"),
                new FieldError("knownHosts", "line 3 must have a base64 ssh-rsa key after its key type"),
                new FieldError("knownHosts", "line 4 must have a base64 ssh-ed25519 key after its key type"),
                new FieldError("knownHosts", "line 5 has an unknown marker; only @cert-authority and @revoked are known"),
                new FieldError("users[0]", "must be a user id: 1 to 100 letters, digits or _ . @ -, starting with a"
                        + " letter or digit"));
        assertThat(fields(new InventoryChange("x", null, null, null, "off", "x".repeat(KnownHosts.MAX_BYTES + 1), null)))
                .containsExactly("knownHosts");
    }
}
