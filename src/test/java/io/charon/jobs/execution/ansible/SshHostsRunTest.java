package io.charon.jobs.execution.ansible;

import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.credential.CredentialKind;
import io.charon.jobs.credential.SealedCredential;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.execution.ExecutionOutcome.Kind;
import io.charon.jobs.execution.ExecutionRequest;
import io.charon.jobs.execution.HostAccess;
import io.charon.jobs.execution.RunHandle;
import io.charon.jobs.inventory.HostKeyPolicy;
import io.charon.jobs.inventory.InventoryDocument;
import io.charon.jobs.job.SealedSecrets;
import io.charon.jobs.security.SecretBox;
import io.charon.jobs.ssh.SshAgent;
import io.charon.jobs.support.Processes;
import io.charon.jobs.support.SecretScan;
import io.charon.jobs.support.SshFleet;
import io.charon.jobs.support.SshFleet.Host;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs of jobs that reach their hosts over SSH with a stored inventory and credentials, through
 * the real {@code ansible-playbook} and a fleet of real sshd hosts: the hosts prove from their own
 * side that they were reached, keys with and without a passphrase, become and vault credentials
 * work, unreachable hosts are named with ssh's reason, host keys are checked and learned, and no
 * secret shows in any process's command line or environment, in the log, or on disk afterwards.
 */
@QuarkusTest
@Tag("store-independent") // runs the runner directly, never the store
@Tag("ssh-hosts")
class SshHostsRunTest {

    @RegisterExtension
    static final SshFleet fleet = SshFleet.create(4);

    private static final Path HOME_SSH = Path.of(System.getProperty("user.home"), ".ssh");
    private static final Pattern REACHED = Pattern.compile(
            "REACHED (\\S+) \\S+ \\d+ (\\S+) (\\d+) GROUPS (\\S*) TIER (\\S+)\"");
    private static String homeSshBefore;
    private static Path scratch;
    private static String vaultPassword;

    @Inject
    AnsiblePlaybookRunner runner;
    @Inject
    SecretBox secretBox;
    @Inject
    AnsibleConfig ansible;

    @BeforeAll
    static void prepare() throws IOException {
        homeSshBefore = SecretScan.describe(HOME_SSH);
        // the hosts' user reads the gate files in it: searchable by all, listable by none
        scratch = Files.createTempDirectory(Path.of("/tmp"), "charon-ssh-run-");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx--x--x"));
        vaultPassword = "vault-" + UUID.randomUUID();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        assertThat(SecretScan.describe(HOME_SSH)).as("the service user's ~/.ssh").isEqualTo(homeSshBefore);
        AnsibleFiles.deleteRecursively(scratch);
    }

    @Test
    void aKeyAndAnInventoryOfTwoGroupsReachTheLimitedHostsEachProvingItself() {
        List<Host> three = fleet.hosts().subList(0, 3);

        Run run = run(access(inventory(Map.of()), names(three), HostKeyPolicy.STRICT, fleet.knownHosts(), sshKey(), null,
                null), Map.of());

        assertThat(run.outcome.kind()).as(run.log).isEqualTo(Kind.SUCCEEDED);
        assertThat(run.reached()).as(run.log).isEqualTo(Map.of(
                "host1", fleet.host(0).address() + ":" + fleet.host(0).port() + " web web-tier",
                "host2", fleet.host(1).address() + ":" + fleet.host(1).port() + " web web-tier",
                "host3", fleet.host(2).address() + ":" + fleet.host(2).port() + " db db-tier"));
        assertThat(run.outcome.hostStats()).containsOnlyKeys("host1", "host2", "host3");
        assertThat(run.outcome.learnedHostKeys()).isEmpty();
    }

    @Test
    void aPassphraseKeyBecomeAndVaultWorkWhileNoProcessShowsASecret() throws Exception {
        Path gate = scratch.resolve("gate-" + UUID.randomUUID());
        String word = "vaulted-" + UUID.randomUUID();
        Map<String, String> variables = Map.of("gate", gate.toString(), "become_check", "yes",
                "vault_file", vaultedVariables(word).toString(), "expected_sha1", sha1(word));
        HostAccess access = access(inventory(Map.of()), List.of("host2", "host4"), HostKeyPolicy.STRICT,
                fleet.knownHosts(), passphraseKey(), become(fleet.sudoPassword()), vault());

        GatedRun gated = startGated(access, variables);
        try {
            // at the gate: the playbook, its ssh connections and the run's agent are all alive
            await("an ssh connection of the run").atMost(Duration.ofSeconds(120))
                    .until(() -> !processesOfRun(gated.runDir, "ssh ").isEmpty() && !gated.agentDirs.isEmpty());
            assertThat(processesOfRun(gated.runDir, "ansible-playbook")).isNotEmpty();
            assertThat(secretsInProcesses()).isEmpty();
        } catch (Throwable e) {
            gated.handle.stop(Kind.CANCELLED); // not left waiting at its gate
            throw e;
        }
        Files.createFile(gate);
        Run run = gated.finish();

        assertThat(run.outcome.kind()).as(run.log).isEqualTo(Kind.SUCCEEDED);
        assertThat(run.reached()).as(run.log).containsOnlyKeys("host2", "host4");
        assertThat(run.log).contains("IDS host2 " + uid(fleet.user()) + " BECAME 0")
                .contains("IDS host4 " + uid(fleet.user()) + " BECAME 0")
                .contains("VAULT OK host2").contains("VAULT OK host4");
    }

    @Test
    void aCancelledRunStopsItsAgentAndLeavesNothing() throws Exception {
        Path gate = scratch.resolve("gate-" + UUID.randomUUID());
        HostAccess access = access(inventory(Map.of()), List.of("host1"), HostKeyPolicy.STRICT, fleet.knownHosts(),
                passphraseKey(), null, null);

        GatedRun gated = startGated(access, Map.of("gate", gate.toString()));
        try {
            await("the run at its gate").atMost(Duration.ofSeconds(120))
                    .until(() -> gated.progress.contains("task: Wait for the gate file") && !gated.agentDirs.isEmpty());
        } finally {
            gated.handle.stop(Kind.CANCELLED);
        }
        Run run = gated.finish();

        assertThat(run.outcome.kind()).isEqualTo(Kind.CANCELLED);
    }

    @Test
    void unreachableHostsAreNamedWithSshsReasonWhileTheOthersComplete() {
        Host down = fleet.host(2);
        String knownBefore = fleet.knownHosts();
        Host changed = fleet.changeHostKey(fleet.host(3));
        fleet.down(down);
        try {
            // host2's account does not accept the key
            Run run = run(access(inventory(Map.of("host2", Map.of("ansible_user", "nobody"))), names(fleet.hosts()),
                    HostKeyPolicy.STRICT, knownBefore, sshKey(), null, null), Map.of());

            assertThat(run.outcome.kind()).isEqualTo(Kind.FAILED);
            assertThat(run.reached()).as(run.log).containsOnlyKeys("host1");
            assertThat(run.outcome.error()).as(run.log)
                    .startsWith("3 hosts failed or were unreachable: ")
                    .contains("host host2 was unreachable in task 'Read the connection on the host': ")
                    .contains("nobody@" + fleet.host(1).address() + ": Permission denied (publickey)")
                    .contains("host host3 was unreachable")
                    .contains("connect to host " + down.address() + " port " + down.port() + ": Connection refused")
                    .contains("host host4 was unreachable")
                    .contains("REMOTE HOST IDENTIFICATION HAS CHANGED").contains("Host key verification failed")
                    .doesNotContain("host1")
                    .hasSizeLessThanOrEqualTo(CallbackEvents.SUMMARY_LIMIT);
            assertThat(run.outcome.hostStats().get("host1").unreachable()).isZero();
            assertThat(run.outcome.hostStats().get("host4").unreachable()).isEqualTo(1);
            assertThat(changed.hostKey()).isNotIn(knownBefore);
        } finally {
            fleet.up(down);
        }
    }

    /**
     * A changed key is refused under accept-new as under strict: FleetJobsTest shows it through the
     * API, with the stored inventory learning nothing from that run.
     */
    @Test
    void acceptNewLearnsTheKeysOfNewHostsAndOffLearnsNothing() {
        List<String> all = names(fleet.hosts());

        Run first = run(access(inventory(Map.of()), all, HostKeyPolicy.ACCEPT_NEW, "", sshKey(), null, null), Map.of());

        assertThat(first.outcome.kind()).as(first.log).isEqualTo(Kind.SUCCEEDED);
        assertThat(first.outcome.learnedHostKeys()).containsExactlyInAnyOrderElementsOf(
                fleet.hosts().stream().map(Host::knownHostsLine).toList());

        // off: no known hosts at all, nothing learned
        Run off = run(access(inventory(Map.of()), List.of("host1"), HostKeyPolicy.OFF, "", sshKey(), null, null),
                Map.of());
        assertThat(off.outcome.kind()).as(off.log).isEqualTo(Kind.SUCCEEDED);
        assertThat(off.outcome.learnedHostKeys()).isEmpty();
    }

    @Test
    void withoutTheCredentialsKeySshOffersNoOtherIdentity() throws Exception {
        Host host = fleet.host(1);
        InventoryDocument byAddress = new InventoryDocument(
                Map.of(host.address(), Map.of("ansible_port", Integer.toString(host.port()))), Map.of(),
                Map.of("ansible_python_interpreter", "/usr/bin/python3"));

        Run noKey = run(access(byAddress, List.of(host.address()), HostKeyPolicy.OFF, "",
                credential("user-only", CredentialKind.SSH, fleet.user(), null, Map.of()), null, null), Map.of());
        assertThat(noKey.outcome.error()).as(noKey.log).startsWith("host " + host.address() + " was unreachable")
                .contains(fleet.user() + "@" + host.address() + ": Permission denied (publickey)");

        Path otherKey = scratch.resolve("other-" + UUID.randomUUID());
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString())
                .redirectErrorStream(true).start();
        keygen.getInputStream().readAllBytes();
        assertThat(keygen.waitFor()).isZero();
        Run unauthorized = run(access(byAddress, List.of(host.address()), HostKeyPolicy.STRICT, fleet.knownHosts(),
                credential("other-key", CredentialKind.SSH, fleet.user(), null,
                        Map.of(SealedCredential.PRIVATE_KEY, Files.readString(otherKey))), null, null), Map.of());
        assertThat(unauthorized.outcome.error()).as(unauthorized.log)
                .startsWith("host " + host.address() + " was unreachable")
                .contains(fleet.user() + "@" + host.address() + ": Permission denied (publickey)");
    }

    @Test
    void aPlainHostListTakesCredentialsAndLocalhostStaysLocal() throws Exception {
        String word = "vaulted-" + UUID.randomUUID();
        Map<String, String> variables = Map.of("vault_file", vaultedVariables(word).toString(),
                "expected_sha1", sha1(word));

        Run plain = run(new HostAccess(null, 0, null, List.of("localhost"), HostKeyPolicy.STRICT, "", null, null,
                vault()), variables);
        assertThat(plain.outcome.kind()).as(plain.log).isEqualTo(Kind.SUCCEEDED);
        assertThat(plain.log).contains("VAULT OK localhost").contains("REACHED localhost  GROUPS");

        // a stored inventory's localhost without an address of its own runs locally beside the SSH hosts
        InventoryDocument withLocalhost = inventory(Map.of());
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>(withLocalhost.hosts());
        hosts.put("localhost", Map.of());
        Run mixed = run(access(new InventoryDocument(hosts, withLocalhost.groups(), withLocalhost.vars()),
                List.of("localhost", "host1"), HostKeyPolicy.STRICT, fleet.knownHosts(), sshKey(), null, vault()),
                variables);
        assertThat(mixed.outcome.kind()).as(mixed.log).isEqualTo(Kind.SUCCEEDED);
        assertThat(mixed.log).contains("VAULT OK localhost").contains("VAULT OK host1")
                .contains("REACHED localhost  GROUPS");
        assertThat(mixed.reached()).containsKey("host1");
    }

    @Test
    void credentialsThatCannotBeOpenedOrUsedFailTheLaunchSayingWhy() {
        SealedCredential damaged = new SealedCredential("damaged", CredentialKind.SSH, fleet.user(), null,
                new SealedSecrets(List.of(SealedCredential.PRIVATE_KEY), "digest", "not-a-ciphertext"));
        Run unopened = run(access(inventory(Map.of()), List.of("host1"), HostKeyPolicy.STRICT, fleet.knownHosts(),
                damaged, null, null), Map.of());
        assertThat(unopened.outcome.kind()).isEqualTo(Kind.FAILED);
        assertThat(unopened.outcome.exitCode()).isNull();
        assertThat(unopened.outcome.error()).startsWith("credential damaged (ssh) cannot be used: ");
        assertThat(unopened.log).contains("credential damaged (ssh) cannot be used");

        SealedCredential wrongPassphrase = credential("wrong-passphrase", CredentialKind.SSH, fleet.user(), null,
                Map.of(SealedCredential.PRIVATE_KEY, fleet.passphraseKeyText(),
                        SealedCredential.PASSPHRASE, "not-" + fleet.passphrase()));
        Run refused = run(access(inventory(Map.of()), List.of("host1"), HostKeyPolicy.STRICT, fleet.knownHosts(),
                wrongPassphrase, null, null), Map.of());
        assertThat(refused.outcome.exitCode()).isNull();
        assertThat(refused.outcome.error())
                .isEqualTo("credential wrong-passphrase (ssh) cannot be used: the passphrase does not open the private key");
    }

    @Test
    void startUpStopsTheAgentOfARunLeftBehindAndDeletesItsDirectories() throws Exception {
        Path runDir = ansible.workDir().resolve("ssh-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(runDir);
        Path agentDir = Files.createTempDirectory(Path.of("/tmp"), HostConnection.AGENT_DIR_PREFIX);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        // as a service killed outright leaves it: the playbook gone, the agent it started beside it alive
        try (SshAgent agent = SshAgent.start(agentDir)) {
            Files.writeString(runDir.resolve(AnsiblePlaybookRunner.OWNER_FILE),
                    "left-behind\n" + gone.pid() + "\n" + agentDir + "\n");
            assertThat(Processes.alive(agentDir.toString())).isEqualTo(1);

            runner.stopAbandonedRuns("left-behind");

            await("the agent stopped").until(() -> Processes.alive(agentDir.toString()) == 0);
            assertThat(agentDir).doesNotExist();
            assertThat(runDir).doesNotExist();
            assertThat(agent.socket()).doesNotExist();
        }
    }

    // ---------------------------------------------------------------- building requests

    /** host1, host2 in web; host3, host4 in db; each group with a variable of its own. */
    private static InventoryDocument inventory(Map<String, Map<String, String>> extraHostVars) {
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
        for (Host host : fleet.hosts()) {
            Map<String, String> vars = new HashMap<>(Map.of("ansible_host", host.address(),
                    "ansible_port", Integer.toString(host.port())));
            vars.putAll(extraHostVars.getOrDefault(host.name(), Map.of()));
            hosts.put(host.name(), vars);
        }
        return new InventoryDocument(hosts, Map.of(
                "web", new InventoryDocument.Group(List.of("host1", "host2"), List.of(), Map.of("tier", "web-tier")),
                "db", new InventoryDocument.Group(List.of("host3", "host4"), List.of(), Map.of("tier", "db-tier"))),
                Map.of("ansible_python_interpreter", "/usr/bin/python3"));
    }

    private static HostAccess access(InventoryDocument inventory, List<String> hosts, HostKeyPolicy policy,
                                     String knownHosts, SealedCredential ssh, SealedCredential become,
                                     SealedCredential vault) {
        return new HostAccess("fleet", 1, inventory, hosts, policy, knownHosts, ssh, become, vault);
    }

    private SealedCredential sshKey() {
        return credential("fleet-key", CredentialKind.SSH, fleet.user(), null,
                Map.of(SealedCredential.PRIVATE_KEY, fleet.keyText()));
    }

    private SealedCredential passphraseKey() {
        return credential("fleet-passphrase-key", CredentialKind.SSH, fleet.user(), null,
                Map.of(SealedCredential.PRIVATE_KEY, fleet.passphraseKeyText(),
                        SealedCredential.PASSPHRASE, fleet.passphrase()));
    }

    private SealedCredential become(String password) {
        return credential("fleet-sudo", CredentialKind.BECOME, null, "sudo", Map.of(SealedCredential.PASSWORD, password));
    }

    private SealedCredential vault() {
        return credential("fleet-vault", CredentialKind.VAULT, null, null, Map.of(SealedCredential.PASSWORD, vaultPassword));
    }

    private SealedCredential credential(String name, CredentialKind kind, String username, String becomeMethod,
                                        Map<String, String> secrets) {
        return new SealedCredential(name, kind, username, becomeMethod, secrets.isEmpty() ? null : secretBox.seal(secrets));
    }

    private static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }

    /** A vars file holding {@code secret_word}, encrypted by ansible-vault encrypt_string with the vault password. */
    private static Path vaultedVariables(String word) throws IOException, InterruptedException {
        Path passwordFile = scratch.resolve("vault-password-" + UUID.randomUUID());
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, vaultPassword);
        Process encrypt = new ProcessBuilder("ansible-vault", "encrypt_string", "--vault-password-file",
                passwordFile.toString(), "--stdin-name", "secret_word").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        encrypt.getOutputStream().write(word.getBytes(StandardCharsets.UTF_8));
        encrypt.getOutputStream().close();
        String vaulted = new String(encrypt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(encrypt.waitFor()).as(vaulted).isZero();
        Files.delete(passwordFile);
        assertThat(vaulted).startsWith("secret_word: !vault |").doesNotContain(word);
        Path file = scratch.resolve("vaulted-" + UUID.randomUUID() + ".yml");
        Files.writeString(file, vaulted + "\n");
        return file;
    }

    // ---------------------------------------------------------------- running

    private record Run(ExecutionOutcome outcome, String log) {

        /** Per host that reported from its own side: the address and port it was reached on, its groups and tier. */
        Map<String, String> reached() {
            Map<String, String> seen = new HashMap<>();
            Matcher line = REACHED.matcher(log);
            while (line.find()) {
                seen.put(line.group(1), line.group(2) + ":" + line.group(3) + " " + line.group(4) + " " + line.group(5));
            }
            return seen;
        }
    }

    /** A run going on in the background, with what a test looks at meanwhile. */
    private final class GatedRun {
        final String runId = "ssh-" + UUID.randomUUID();
        final Path runDir = ansible.workDir().resolve(runId).toAbsolutePath();
        final RunHandle handle = new RunHandle(ansible.killGrace());
        final List<String> progress = new CopyOnWriteArrayList<>();
        final Set<Path> agentDirs = ConcurrentHashMap.newKeySet();
        final List<String> leaks = new CopyOnWriteArrayList<>();
        /** Agent directories outside run directories before the run: none may be added by it. */
        final Set<Path> outsideBefore = outsideAgentDirs();
        CompletableFuture<ExecutionOutcome> outcome;
        Path logFile;

        Run finish() throws Exception {
            return checked(this, outcome.get());
        }
    }

    private GatedRun startGated(HostAccess access, Map<String, String> variables) {
        GatedRun gated = new GatedRun();
        ExecutionRequest request = request(gated, access, variables);
        gated.outcome = CompletableFuture.supplyAsync(() -> runner.run(request, (message, data) -> {
            gated.progress.add(message);
            look(gated);
        }, gated.handle));
        return gated;
    }

    /** A run to its end, looking at every process at each of its events, then checking what it left. */
    private Run run(HostAccess access, Map<String, String> variables) {
        GatedRun run = new GatedRun();
        ExecutionRequest request = request(run, access, variables);
        ExecutionOutcome outcome = runner.run(request, (message, data) -> {
            run.progress.add(message);
            look(run);
        }, run.handle);
        return checked(run, outcome);
    }

    private ExecutionRequest request(GatedRun run, HostAccess access, Map<String, String> variables) {
        run.logFile = scratch.resolve("logs").resolve(run.runId + ".log");
        return new ExecutionRequest("job-" + run.runId, run.runId, "ssh-hosts-test", "fleet.yml", access.hosts(),
                variables, null, Duration.ofMinutes(3), null, run.logFile, access, List.of(), null);
    }

    /** While the run goes on: no process shows a secret; the run's agent is noted. */
    private void look(GatedRun run) {
        run.leaks.addAll(secretsInProcesses());
        ProcessHandle.allProcesses().forEach(process -> Processes.commandLine(process).ifPresent(line -> {
            Matcher agent = Pattern.compile("^\\S*ssh-agent -D -a (\\S+)/agent\\.sock").matcher(line);
            if (agent.find() && (agent.group(1).startsWith(run.runDir.toString())
                    || agent.group(1).contains(HostConnection.AGENT_DIR_PREFIX))) {
                run.agentDirs.add(Path.of(agent.group(1)));
            }
        }));
    }

    /** After the run: nothing of it on disk, none of its processes alive, no secret in its log. */
    private Run checked(GatedRun run, ExecutionOutcome outcome) {
        assertThat(run.leaks).as("secrets in processes while the run went on").isEmpty();
        assertThat(run.runDir).as("the run directory").doesNotExist();
        assertThat(processesOfRun(run.runDir, "")).as("processes of the run").isEmpty();
        assertThat(outsideAgentDirs()).as("agent directories outside the run directory")
                .isSubsetOf(run.outsideBefore);
        for (Path agentDir : run.agentDirs) {
            assertThat(agentDir).as("the run's agent directory").doesNotExist();
            assertThat(Processes.alive(agentDir.toString())).as("the run's agent").isZero();
        }
        String log;
        try {
            log = Files.readString(run.logFile);
        } catch (IOException e) {
            throw new AssertionError("the run wrote no log", e);
        }
        for (String secret : secrets()) {
            assertThat(log).as("the log").doesNotContain(secret);
            assertThat(outcome.error() == null ? "" : outcome.error()).doesNotContain(secret);
        }
        return new Run(outcome, log);
    }

    /** The agent directories under /tmp, as runs whose directory's path is too long for a socket make them. */
    private static Set<Path> outsideAgentDirs() {
        try (Stream<Path> dirs = Files.list(Path.of("/tmp"))) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith(HostConnection.AGENT_DIR_PREFIX))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The live processes that mention the run directory and whose command line starts with {@code command}. */
    private static List<String> processesOfRun(Path runDir, String command) {
        return ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid())
                .flatMap(p -> Processes.commandLine(p).stream())
                .filter(line -> line.contains(runDir.toString()))
                .filter(line -> line.startsWith(command) || line.contains("/" + command))
                .toList();
    }

    /** Every secret the tests hand over: the keys' lines, the passphrase, the sudo and vault passwords. */
    private static List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(fleet.passphrase(), fleet.sudoPassword(), vaultPassword));
        Stream.of(fleet.keyText(), fleet.passphraseKeyText()).map(SecretScan::keyLines).forEach(secrets::addAll);
        return secrets;
    }

    /** The secrets found in any process's command line or environment, with the process they were in. */
    private static List<String> secretsInProcesses() {
        try {
            return SecretScan.processesMentioningAny(secrets());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String uid(String user) throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u", user).start();
        String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(id.waitFor()).isZero();
        return out;
    }

    private static String sha1(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
