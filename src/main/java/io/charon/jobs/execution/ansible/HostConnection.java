package io.charon.jobs.execution.ansible;

import io.charon.jobs.credential.SealedCredential;
import io.charon.jobs.execution.HostAccess;
import io.charon.jobs.files.PrivateFiles;
import io.charon.jobs.inventory.HostKeyPolicy;
import io.charon.jobs.inventory.InventoryDocument;
import io.charon.jobs.inventory.InventoryYaml;
import io.charon.jobs.security.SecretBox;
import io.charon.jobs.ssh.SshAgent;
import io.charon.jobs.ssh.SshKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one run reaches its hosts over SSH, for a job that names a stored inventory or credentials:
 * the inventory and limit files, the run's own {@code known_hosts}, the credentials' secrets in
 * owner-only files of the run directory (a passphrase-protected key in an {@code ssh-agent} of the
 * run's own instead), and the options and environment that keep ssh and Ansible away from the
 * service user's {@code ~/.ssh} and {@code ~/.ansible}.
 * <p>
 * Secrets are opened here only, written to 0600 files only, never put on a command line or in an
 * environment variable; {@link #secrets()} gives them to the run's mask. {@link #close()} stops
 * the agent and deletes every file that held a secret; the runner deletes the run directory.
 * <p>
 * ssh runs with {@code ControlMaster=no}: a persistent master detaches from the playbook's process
 * tree and would outlive the run (and a killed service); one connection per task is the price.
 */
final class HostConnection implements AutoCloseable {

    static final String INVENTORY = "inventory.yml";
    static final String LOCAL_INVENTORY = "localhost.ini";
    static final String KNOWN_HOSTS = "known_hosts";
    /** Where the agent's socket goes when the run directory's path is too long for a socket. */
    static final String AGENT_DIR_PREFIX = "charon-agent-";
    /** sockaddr_un holds 108 bytes with the final NUL; some room kept. */
    private static final int SOCKET_PATH_LIMIT = 100;
    /**
     * The run directory's path appears in ssh options, which ssh splits at white space and in
     * which it expands {@code %} and {@code ${}}, and in the limit, which Ansible splits at commas
     * and colons: only plain characters are taken.
     */
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9._/+@-]+");

    private final HostAccess access;
    /** Hosts that narrow the run further (a retry of the failed ones); empty for none. */
    private final List<String> onlyHosts;
    private final Path runDir;
    private final List<String> arguments = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private final List<Path> secretFiles = new ArrayList<>();
    private Set<String> knownBefore = Set.of();
    private SshAgent agent;
    /** The agent's directory when it lies outside the run directory; deleted at close. */
    private Path outsideAgentDir;

    private HostConnection(HostAccess access, List<String> onlyHosts, Path runDir) {
        this.access = access;
        this.onlyHosts = onlyHosts;
        this.runDir = runDir;
    }

    /**
     * Writes the run's connection files and starts its agent when a key needs one.
     *
     * @param onlyHosts   the hosts the run is limited to within the access's hosts; empty for all of them
     * @param keyLifetime how long the agent keeps a key: the run's longest life
     * @return null for a run without host access (a plain job)
     * @throws LaunchFailure a credential cannot be opened or used; nothing of it is left behind
     */
    static HostConnection open(HostAccess access, List<String> onlyHosts, Path runDir, SecretBox secretBox,
                               Duration keyLifetime) throws IOException {
        if (access == null) {
            return null;
        }
        HostConnection connection = new HostConnection(access, onlyHosts, runDir);
        try {
            connection.prepare(secretBox, keyLifetime);
            return connection;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The arguments for ansible-playbook: inventory, limit, user, key, become and vault options. */
    List<String> arguments() {
        return List.copyOf(arguments);
    }

    /** Every secret opened for this run, for the run's mask. */
    List<String> secrets() {
        return List.copyOf(secrets);
    }

    /** The agent's directory when it lies outside the run directory (its path was too long). */
    Optional<Path> outsideDirectory() {
        return Optional.ofNullable(outsideAgentDir);
    }

    /** Sets ssh's options and keeps Ansible's own files inside the run directory. */
    void environment(Map<String, String> env) {
        List<String> ssh = new ArrayList<>(List.of(
                "-F /dev/null",
                "-o BatchMode=yes",
                "-o ControlMaster=no",
                "-o IdentitiesOnly=yes",
                // no default identity (~/.ssh/id_*): only the credential's key, given as IdentityFile after these
                "-o IdentityFile=none",
                "-o GlobalKnownHostsFile=/dev/null"));
        if (agent != null) {
            ssh.add("-o IdentityAgent=" + agent.socket());
            env.put("SSH_AUTH_SOCK", agent.socket().toString());
        } else {
            ssh.add("-o IdentityAgent=none");
            env.remove("SSH_AUTH_SOCK");
        }
        switch (access.hostKeyPolicy()) {
            case STRICT -> ssh.addAll(List.of("-o StrictHostKeyChecking=yes", "-o UserKnownHostsFile=" + knownHosts()));
            case ACCEPT_NEW -> ssh.addAll(List.of("-o StrictHostKeyChecking=accept-new",
                    "-o UserKnownHostsFile=" + knownHosts()));
            case OFF -> ssh.addAll(List.of("-o StrictHostKeyChecking=no", "-o UserKnownHostsFile=/dev/null"));
        }
        env.put("ANSIBLE_SSH_ARGS", String.join(" ", ssh));
        env.put("ANSIBLE_HOST_KEY_CHECKING", access.hostKeyPolicy() == HostKeyPolicy.OFF ? "False" : "True");
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", runDir.resolve("cp").toString());
        env.put("ANSIBLE_HOME", runDir.resolve("ansible-home").toString());
        env.remove("ANSIBLE_SSH_COMMON_ARGS");
        env.remove("ANSIBLE_SSH_EXTRA_ARGS");
    }

    /**
     * The {@code known_hosts} lines ssh appended during the run under {@code accept-new}: the keys
     * of hosts first seen. Empty under the other policies.
     */
    List<String> learnedHostKeys() {
        if (access.hostKeyPolicy() != HostKeyPolicy.ACCEPT_NEW) {
            return List.of();
        }
        try {
            return Files.readAllLines(knownHosts(), StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#") && !knownBefore.contains(line))
                    .distinct()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Stops the agent and deletes the files that held secrets; safe to call more than once. */
    @Override
    public void close() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
        for (Path file : secretFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the run directory's deletion tries again
            }
        }
        if (outsideAgentDir != null) {
            AnsibleFiles.deleteRecursively(outsideAgentDir);
        }
    }

    private void prepare(SecretBox secretBox, Duration keyLifetime) throws IOException {
        if (!PLAIN_PATH.matcher(runDir.toString()).matches()) {
            throw new LaunchFailure("the work directory " + runDir.getParent() + " has characters that ssh or Ansible"
                    + " would read as separators or tokens; a job that reaches hosts over SSH needs a work directory"
                    + " path of letters, digits and . _ - + @ /");
        }
        // every credential opened before anything is written: one that cannot be opened leaves nothing
        Map<String, String> ssh = open(access.ssh(), secretBox);
        Map<String, String> become = open(access.become(), secretBox);
        Map<String, String> vault = open(access.vault(), secretBox);
        writeInventory();
        if (access.hostKeyPolicy() != HostKeyPolicy.OFF) {
            writeKnownHosts();
        }
        if (access.ssh() != null) {
            sshCredential(access.ssh(), ssh, keyLifetime);
        }
        if (access.become() != null) {
            becomeCredential(access.become(), become);
        }
        if (access.vault() != null) {
            String password = vault.get(SealedCredential.PASSWORD);
            if (password == null || password.isEmpty()) {
                throw new LaunchFailure("credential " + access.vault().name() + " (vault) has no password");
            }
            arguments.add("--vault-password-file=" + secretFile(runDir.resolve("vault-password"), password));
        }
    }

    /** A credential's secrets in plain text; none for a credential without any. */
    private Map<String, String> open(SealedCredential credential, SecretBox secretBox) throws LaunchFailure {
        if (credential == null || credential.secrets() == null) {
            return Map.of();
        }
        try {
            Map<String, String> opened = secretBox.open(credential.secrets());
            opened.values().stream().filter(value -> value != null && !value.isEmpty()).forEach(secrets::add);
            return opened;
        } catch (SecretBox.SecretsUnavailableException e) {
            throw new LaunchFailure("credential " + credential.name() + " (" + credential.kind().name().toLowerCase()
                    + ") cannot be used: " + e.getMessage());
        }
    }

    /**
     * The stored inventory as YAML (or the job's plain host list), and the hosts to run on as a
     * limit file ({@link AnsibleFiles#limit}).
     */
    private void writeInventory() throws IOException {
        InventoryDocument document = access.inventory();
        if (document == null) {
            // a plain host list is the inventory itself: narrowed only for a retry of some of its hosts
            arguments.addAll(List.of("-i", AnsibleFiles.writeInventory(runDir, access.hosts()).toString()));
            if (!onlyHosts.isEmpty()) {
                arguments.add(AnsibleFiles.limit(runDir, onlyHosts));
            }
            return;
        }
        arguments.addAll(List.of("-i", write(runDir.resolve(INVENTORY), InventoryYaml.write(document)).toString()));
        if (isLocal(document)) {
            // a second source: its templated interpreter would stay text in the !unsafe YAML
            arguments.addAll(List.of("-i", AnsibleFiles.writeInventory(runDir, List.of(AnsibleFiles.LOCALHOST),
                    LOCAL_INVENTORY).toString()));
        }
        // a retry of the hosts that failed: those lie within the job's hosts already
        arguments.add(AnsibleFiles.limit(runDir, onlyHosts.isEmpty() ? access.hosts() : onlyHosts));
    }

    /** A host named localhost without an address of its own runs locally, as in a plain host list. */
    private static boolean isLocal(InventoryDocument document) {
        boolean grouped = document.groups().values().stream().anyMatch(g -> g.hosts().contains(AnsibleFiles.LOCALHOST));
        Map<String, String> vars = document.hosts().get(AnsibleFiles.LOCALHOST);
        if (vars == null) {
            return grouped;
        }
        return !vars.containsKey("ansible_host") && !vars.containsKey("ansible_connection");
    }

    private void writeKnownHosts() throws IOException {
        String text = access.knownHosts() == null ? "" : access.knownHosts();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            text += "\n";
        }
        write(knownHosts(), text);
        knownBefore = new HashSet<>(text.lines().map(String::strip).toList());
    }

    private Path knownHosts() {
        return runDir.resolve(KNOWN_HOSTS);
    }

    /**
     * The remote user, and the key: as a file ssh reads, or, protected by a passphrase, opened
     * into the run's agent, whose public half then names the key to use.
     */
    private void sshCredential(SealedCredential credential, Map<String, String> opened, Duration keyLifetime)
            throws IOException {
        if (credential.username() != null && !credential.username().isBlank()) {
            arguments.add("--user=" + credential.username());
        }
        String privateKey = opened.get(SealedCredential.PRIVATE_KEY);
        if (privateKey == null || privateKey.isBlank()) {
            return;
        }
        Path sshDir = PrivateFiles.directory(runDir.resolve("ssh"));
        Path keyFile = secretFile(sshDir.resolve("id"), SshKeys.normalized(privateKey));
        String passphrase = opened.get(SealedCredential.PASSPHRASE);
        if (passphrase == null || passphrase.isEmpty()) {
            arguments.add("--private-key=" + keyFile);
            return;
        }
        agent = SshAgent.start(agentDirectory(), keyLifetime);
        try {
            agent.add(keyFile, passphrase);
        } catch (SshAgent.KeyRefusedException e) {
            throw new LaunchFailure("credential " + credential.name() + " (ssh) cannot be used: " + e.getMessage());
        } finally {
            Files.deleteIfExists(keyFile);
        }
        List<String> publicKeys = agent.publicKeys();
        if (publicKeys.isEmpty()) {
            throw new LaunchFailure("credential " + credential.name() + " (ssh) cannot be used: the run's ssh-agent"
                    + " holds no key after adding it");
        }
        Path publicKey = write(sshDir.resolve("id.pub"), publicKeys.get(0) + "\n");
        arguments.add("--private-key=" + publicKey);
    }

    /** In the run directory, unless the socket's path would be too long: then a private one under /tmp. */
    private Path agentDirectory() throws IOException {
        Path inRunDir = runDir.resolve("agent");
        if (inRunDir.resolve("agent.sock").toString().length() <= SOCKET_PATH_LIMIT) {
            return inRunDir;
        }
        outsideAgentDir = Files.createTempDirectory(Path.of("/tmp"), AGENT_DIR_PREFIX);
        return PrivateFiles.directory(outsideAgentDir);
    }

    /** The method and user from the credential; its password through a file. It does not turn become on. */
    private void becomeCredential(SealedCredential credential, Map<String, String> opened) throws IOException {
        if (credential.becomeMethod() != null && !credential.becomeMethod().isBlank()) {
            arguments.add("--become-method=" + credential.becomeMethod());
        }
        if (credential.username() != null && !credential.username().isBlank()) {
            arguments.add("--become-user=" + credential.username());
        }
        String password = opened.get(SealedCredential.PASSWORD);
        if (password != null && !password.isEmpty()) {
            arguments.add("--become-password-file=" + secretFile(runDir.resolve("become-password"), password));
        }
    }

    /** A 0600 file, not executable (Ansible would run an executable password file), removed at close. */
    private Path secretFile(Path file, String content) throws IOException {
        secretFiles.add(file);
        return write(file, content);
    }

    private static Path write(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        PrivateFiles.file(file);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
