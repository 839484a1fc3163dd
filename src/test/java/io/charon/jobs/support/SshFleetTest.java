package io.charon.jobs.support;

import io.charon.jobs.support.SshFleet.Host;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SSH fleet proven with the real {@code ansible-playbook} over SSH: distinct addresses and
 * ports, key and agent logins, sudo with a password, strict host key checking, a stopped host.
 * Needs root and openssh-server (.ci/run installs it); fails without them.
 */
@Tag("ssh-hosts")
class SshFleetTest {

    @RegisterExtension
    static final SshFleet fleet = SshFleet.create(4);

    private static final Path HOME_SSH = Path.of(System.getProperty("user.home"), ".ssh");
    private static String homeSshBefore;

    @TempDir
    Path work;

    @BeforeAll
    static void rememberCallersSshFiles() throws IOException {
        homeSshBefore = SecretScan.describe(HOME_SSH);
    }

    @AfterAll
    static void callersSshFilesUntouched() throws IOException {
        assertThat(SecretScan.describe(HOME_SSH)).as("the caller's ~/.ssh").isEqualTo(homeSshBefore);
    }

    @Test
    void eachHostAnswersOnItsOwnAddressAndSudoTakesThePassword() throws IOException {
        List<Host> three = fleet.hosts().subList(0, 3);
        Run run = ansible(three, Login.KEY, fleet.knownHosts(), fleet.sudoPassword(), """
                - hosts: fleet
                  gather_facts: false
                  tasks:
                    - ansible.builtin.command: printenv SSH_CONNECTION
                      register: connection
                      changed_when: false
                    - ansible.builtin.command: whoami
                      become: true
                      register: escalated
                      changed_when: false
                    - ansible.builtin.debug:
                        msg: "REACHED {{ inventory_hostname }} {{ connection.stdout }} AS {{ escalated.stdout }}"
                """);

        assertThat(run.exitCode).as(run.output).isZero();
        Matcher reached = Pattern.compile("REACHED (\\S+) \\S+ \\d+ (\\S+) (\\d+) AS (\\S+)\"").matcher(run.output);
        Map<String, String> seen = new HashMap<>();
        while (reached.find()) {
            seen.put(reached.group(1), reached.group(2) + ":" + reached.group(3) + " " + reached.group(4));
        }
        assertThat(seen).as(run.output).isEqualTo(three.stream().collect(Collectors.toMap(
                Host::name, host -> host.address() + ":" + host.port() + " root")));
        assertThat(three.stream().map(Host::address).distinct()).hasSize(3);
        assertThat(fleet.hosts().stream().map(Host::hostKey).distinct()).hasSize(4);
    }

    @Test
    void sudoRefusesAWrongPassword() throws IOException {
        Run run = ansible(List.of(fleet.host(0)), Login.KEY, fleet.knownHosts(), "not-" + fleet.sudoPassword(), """
                - hosts: fleet
                  gather_facts: false
                  tasks:
                    - ansible.builtin.command: whoami
                      become: true
                """);

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("Incorrect sudo password");
    }

    @Test
    void thePassphraseKeyLogsInThroughAnAgent() throws IOException, InterruptedException {
        Process withoutPassphrase = new ProcessBuilder("ssh-keygen", "-y", "-P", "", "-f", fleet.passphraseKey().toString())
                .redirectErrorStream(true).start();
        withoutPassphrase.getInputStream().readAllBytes();
        assertThat(withoutPassphrase.waitFor()).as("the key opens without its passphrase").isNotZero();

        try (SshFleet.Agent agent = fleet.startAgent()) {
            Run run = ansible(List.of(fleet.host(1)), new Login(agent), fleet.knownHosts(), null, """
                    - hosts: fleet
                      gather_facts: false
                      tasks:
                        - ansible.builtin.command: printenv SSH_CONNECTION
                          register: connection
                          changed_when: false
                        - ansible.builtin.debug:
                            msg: "REACHED {{ connection.stdout }}"
                    """);

            assertThat(run.exitCode).as(run.output).isZero();
            assertThat(run.output).contains(fleet.host(1).address() + " " + fleet.host(1).port() + "\"");
        }
    }

    @Test
    void unknownChangedAndStoppedHostsAreUnreachableAndCloseStopsEverything() throws IOException {
        SshFleet own = SshFleet.create(3).start();
        Path dir = own.dir();
        try {
            Host unknown = own.host(0);
            Host changing = own.host(1);
            Host stopped = own.host(2);
            String knownBefore = changing.knownHostsLine() + "\n" + stopped.knownHostsLine() + "\n";
            Host changed = own.changeHostKey(changing);
            assertThat(changed.hostKey()).isNotEqualTo(changing.hostKey());
            assertThat(changed.port()).isEqualTo(changing.port());
            own.down(stopped);
            assertThat(own.isUp(stopped)).isFalse();

            Run refused = ansible(own, own.hosts(), Login.KEY, knownBefore, null, RAW);

            assertThat(refused.exitCode).as(refused.output).isNotZero();
            assertThat(unreachable(refused, unknown))
                    .contains("No ED25519 host key is known for [" + unknown.address() + "]:" + unknown.port())
                    .contains("Host key verification failed");
            assertThat(unreachable(refused, changed)).contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                    .contains("Host key verification failed");
            assertThat(unreachable(refused, stopped)).contains("Connection refused");

            assertThat(own.up(stopped)).isEqualTo(stopped);
            Run accepted = ansible(own, own.hosts(), Login.KEY, own.knownHosts(), null, PING);
            assertThat(accepted.exitCode).as(accepted.output).isZero();
            assertThat(Processes.alive(dir + "/host")).as("the fleet's daemons").isGreaterThanOrEqualTo(3);
        } finally {
            own.close();
        }
        assertThat(dir).doesNotExist();
        await("the fleet's daemons stopped").until(() -> Processes.alive(dir + "/") == 0);
    }

    @Test
    void theFleetsOfADeadJvmAreSwept() throws IOException {
        Path abandoned = Files.createTempDirectory(Path.of("/tmp"), "ssh-fleet-");
        // pid 1 lives, but started at another time: the owner is gone
        Files.writeString(abandoned.resolve("owner"), "1 1970-01-01T00:00:00Z");
        Process leftover = new ProcessBuilder("tail", "-f", abandoned.resolve("owner").toString()).start();
        try {
            SshFleet.sweepAbandonedFleets();

            assertThat(abandoned).doesNotExist();
            await("the abandoned fleet's process stopped").until(() -> !leftover.isAlive());
            assertThat(fleet.dir()).as("a live fleet stays").exists();
            assertThat(fleet.isUp(fleet.host(3))).isTrue();
        } finally {
            leftover.destroyForcibly();
        }
    }

    @Test
    void aMachineWithoutTheToolsIsNamedWithThePackagesToInstall() {
        assertThat(SshFleet.missingPrerequisites(work.toString(), true)).hasValueSatisfying(message -> assertThat(message)
                .contains("sshd (package openssh-server)", "sudo (package sudo)", "apt-get install"));
        assertThat(SshFleet.missingPrerequisites(work.toString(), false)).hasValueSatisfying(message -> assertThat(message)
                .contains("root"));
    }

    // ---------------------------------------------------------------- running Ansible

    /**
     * Sends nothing on ssh's standard input: with pipelining, a module's code written to an ssh that
     * already gave up makes Ansible report a broken pipe instead of ssh's own message.
     */
    private static final String RAW = """
            - hosts: fleet
              gather_facts: false
              tasks:
                - ansible.builtin.raw: "true"
            """;

    private static final String PING = """
            - hosts: fleet
              gather_facts: false
              tasks:
                - ansible.builtin.ping:
            """;

    /** How the client logs in: the plain key file, or the agent holding the passphrase key. */
    private record Login(SshFleet.Agent agent) {
        static final Login KEY = new Login(null);
    }

    private record Run(int exitCode, String output) {
    }

    private Run ansible(List<Host> hosts, Login login, String knownHosts, String becomePassword, String playbook) throws IOException {
        return ansible(fleet, hosts, login, knownHosts, becomePassword, playbook);
    }

    /**
     * One {@code ansible-playbook} run in its own directory: its own known_hosts, control path
     * directory and HOME, so neither the caller's SSH files nor an earlier run's multiplexed
     * connections take part. The become password goes through a file, never the command line.
     */
    private Run ansible(SshFleet target, List<Host> hosts, Login login, String knownHosts, String becomePassword,
                        String playbook) throws IOException {
        Path runDir = Files.createTempDirectory(work, "run-");
        Path knownHostsFile = runDir.resolve("known_hosts");
        Files.writeString(knownHostsFile, knownHosts);
        Path playbookFile = runDir.resolve("playbook.yml");
        Files.writeString(playbookFile, playbook);
        // with the agent, the public half names the key to use and the agent signs
        Path identity = login.agent() == null ? target.key() : Path.of(target.passphraseKey() + ".pub");
        StringBuilder inventory = new StringBuilder("[fleet]\n");
        hosts.forEach(host -> inventory.append(host.name()).append(" ansible_host=").append(host.address())
                .append(" ansible_port=").append(host.port()).append('\n'));
        inventory.append("[fleet:vars]\n")
                .append("ansible_user=").append(target.user()).append('\n')
                .append("ansible_ssh_private_key_file=").append(identity).append('\n')
                .append("ansible_python_interpreter=/usr/bin/python3\n");
        Path inventoryFile = runDir.resolve("inventory.ini");
        Files.writeString(inventoryFile, inventory);

        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i", inventoryFile.toString()));
        if (becomePassword != null) {
            Path passwordFile = runDir.resolve("become-password");
            Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, becomePassword + "\n");
            command.addAll(List.of("--become-password-file", passwordFile.toString()));
        }
        command.add(playbookFile.toString());

        ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("ANSIBLE_") || name.equals("SSH_AUTH_SOCK"));
        if (login.agent() != null) {
            env.put("SSH_AUTH_SOCK", login.agent().socket().toString());
        }
        Path home = Files.createDirectories(runDir.resolve("home"));
        env.put("HOME", home.toString());
        env.put("ANSIBLE_HOME", home.resolve(".ansible").toString());
        env.put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", Files.createDirectories(runDir.resolve("cp")).toString());
        env.put("ANSIBLE_SSH_ARGS", String.join(" ",
                "-F /dev/null",
                "-o ControlMaster=auto -o ControlPersist=30s",
                "-o UserKnownHostsFile=" + knownHostsFile,
                "-o GlobalKnownHostsFile=/dev/null",
                "-o StrictHostKeyChecking=yes",
                "-o IdentitiesOnly=yes",
                "-o BatchMode=yes"));
        env.put("ANSIBLE_HOST_KEY_CHECKING", "True");
        env.put("ANSIBLE_PIPELINING", "True");
        env.put("ANSIBLE_TIMEOUT", "30");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        env.put("ANSIBLE_STDOUT_CALLBACK", "default");

        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Run(process.waitFor(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ansible's {@code UNREACHABLE!} line for the host (its message), failing when there is none. */
    private static String unreachable(Run run, Host host) {
        Matcher line = Pattern.compile("fatal: \\[" + Pattern.quote(host.name()) + "\\]: UNREACHABLE! => (.*)").matcher(run.output);
        assertThat(line.find()).as("%s unreachable in:\n%s", host.name(), run.output).isTrue();
        return line.group(1);
    }
}
