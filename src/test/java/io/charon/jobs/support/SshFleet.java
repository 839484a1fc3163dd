package io.charon.jobs.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A fleet of real SSH hosts on this machine: one {@code sshd} per host, each on its own loopback
 * address ({@code 127.0.x.y}, all of 127/8 is local on Linux) and port, with its own ed25519
 * host key, accepting the fleet's client keys for the test user {@value #USER}, who may
 * {@code sudo} with a password.
 *
 * <h2>Use</h2>
 * As a JUnit 5 extension on a static field (started before the class's tests, stopped after):
 * <pre>{@code
 * @RegisterExtension
 * static final SshFleet fleet = SshFleet.create(4);
 * }</pre>
 * or on its own: {@code try (SshFleet fleet = SshFleet.create(2).start()) { ... }}.
 * <p>
 * What a test hands to whatever connects (Ansible, the service's inventories and credentials):
 * <ul>
 * <li>per host ({@link #hosts()}, {@link #host(int)}): {@link Host#name()} ({@code host1}, ...),
 *     {@link Host#address()}, {@link Host#port()}, {@link Host#hostKey()} (the public key line
 *     {@code ssh-ed25519 AAAA...}) and {@link Host#knownHostsLine()};</li>
 * <li>for the fleet: {@link #user()}; the client key without a passphrase ({@link #key()},
 *     {@link #keyText()}); the passphrase-protected one ({@link #passphraseKey()},
 *     {@link #passphrase()}); {@link #sudoPassword()}; {@link #knownHosts()}, the
 *     {@code known_hosts} text for every host's current key.</li>
 * </ul>
 * To break things: {@link #down(Host)} stops a host (connections are refused, open sessions
 * end), {@link #up(Host)} starts it again on the same address and port, and
 * {@link #changeHostKey(Host)} restarts it with a new host key (so a {@code known_hosts} text
 * taken before no longer matches). {@link #startAgent()} starts an {@code ssh-agent} holding the
 * passphrase key, for clients that must not read the key file themselves.
 * <p>
 * Every client that connects must keep away from the caller's own SSH files: {@code ssh -F /dev/null}
 * with {@code -o UserKnownHostsFile=<file> -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes
 * -o IdentityFile=<key>} and {@code -o BatchMode=yes}; {@code ssh} finds {@code ~/.ssh} through the
 * password database, not {@code $HOME}. {@code SshFleetTest} shows a complete set-up for
 * {@code ansible-playbook} (inventory, {@code ANSIBLE_SSH_ARGS}, a private control path directory,
 * {@code --become-password-file}).
 * <p>
 * Needs root, {@code openssh-server} and {@code sudo} ({@code .ci/run} installs them) and fails,
 * never skips, without them. The test user is created once per machine (under a file lock, so
 * test JVMs started at once agree); its sudo password is random, kept in
 * {@code /var/lib/charon-fleet/sudo-password} (0600). Everything else (keys, configurations,
 * {@code authorized_keys}, pid files, daemon logs {@code hostN/sshd.log}) lives in the fleet's
 * directory under {@code /tmp}, which {@link #close()} (or JVM exit) deletes after stopping the
 * daemons and agents. The fleets of a JVM that died without closing them (kill -9) are stopped
 * and deleted by the next JVM that starts a fleet, found by the {@code owner} file in their directory.
 */
public final class SshFleet implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** The account every host accepts the fleet's keys for. */
    public static final String USER = "charon-fleet";

    private static final Path STATE_DIR = Path.of("/var/lib/charon-fleet");
    /** Short: agent and control sockets live below, and a socket path has at most 107 bytes. */
    private static final Path FLEETS_DIR = Path.of("/tmp");
    private static final String FLEET_PREFIX = "ssh-fleet-";
    private static final Path SUDOERS_DROP_IN = Path.of("/etc/sudoers.d/charon-fleet");
    /** A bound for a daemon to answer, generous for a loaded machine; a failure, never a skip. */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(20);
    private static final int BIND_ATTEMPTS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<SshFleet> OPEN = ConcurrentHashMap.newKeySet();
    private static String sudoPassword;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(SshFleet::close), "ssh-fleet-cleanup"));
    }

    /** One host as a client sees it; {@link #hostKey()} changes with {@link #changeHostKey(Host)}. */
    public record Host(String name, String address, int port, String hostKey) {

        /** {@code [address]:port keytype base64}: the line a {@code known_hosts} file holds for it. */
        public String knownHostsLine() {
            return "[" + address + "]:" + port + " " + hostKey;
        }
    }

    /** An {@code ssh-agent} holding the fleet's passphrase key; clients reach it through {@link #socket()}. */
    public final class Agent implements AutoCloseable {

        private final Process process;
        private final Path socket;

        private Agent(Process process, Path socket) {
            this.process = process;
            this.socket = socket;
        }

        /** The value for {@code SSH_AUTH_SOCK}. */
        public Path socket() {
            return socket;
        }

        @Override
        public void close() {
            stopTree(process);
            agents.remove(this);
        }
    }

    private final int size;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Set<Agent> agents = ConcurrentHashMap.newKeySet();
    private Path dir;
    private Path sshd;
    private Path key;
    private Path passphraseKey;
    private String passphrase;
    private boolean started;
    private boolean closed;
    private int agentCount;

    private SshFleet(int size) {
        if (size < 1 || size > 250) {
            throw new IllegalArgumentException("a fleet has 1 to 250 hosts, not " + size);
        }
        this.size = size;
    }

    /** A fleet of {@code hosts} hosts, not yet started: {@link #start()}, or register it as an extension. */
    public static SshFleet create(int hosts) {
        return new SshFleet(hosts);
    }

    /** A fleet of four hosts, not yet started. */
    public static SshFleet create() {
        return create(4);
    }

    /**
     * Checks the machine, prepares the test user, writes keys and configurations and starts every
     * daemon, returning once each answers with its SSH banner. Does nothing when already started.
     */
    public synchronized SshFleet start() {
        if (started) {
            return this;
        }
        if (closed) {
            throw new IllegalStateException("this fleet was closed; create a new one");
        }
        sshd = checkPrerequisites();
        prepareUser();
        started = true;
        OPEN.add(this);
        try {
            dir = Files.createTempDirectory(FLEETS_DIR, FLEET_PREFIX);
            Files.writeString(dir.resolve("owner"), owner(ProcessHandle.current()));
            // the test user's sshd reads authorized_keys as that user: it must pass through
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            passphrase = randomText(18);
            writePrivate(dir.resolve("passphrase"), passphrase + "\n");
            Path askpass = dir.resolve("askpass");
            writePrivate(askpass, "#!/bin/sh\nexec cat '" + dir.resolve("passphrase") + "'\n");
            Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
            key = dir.resolve("id_ed25519");
            passphraseKey = dir.resolve("id_ed25519_passphrase");
            run(List.of(tool("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-C", "charon-fleet-key", "-f", key.toString()));
            // the passphrase comes from the askpass program, never from the command line
            run(List.of(tool("ssh-keygen"), "-q", "-t", "ed25519", "-C", "charon-fleet-passphrase-key",
                    "-f", passphraseKey.toString()), askpassEnvironment());
            Path authorizedKeys = dir.resolve("authorized_keys");
            Files.writeString(authorizedKeys, Files.readString(Path.of(key + ".pub"))
                    + Files.readString(Path.of(passphraseKey + ".pub")));
            Files.setPosixFilePermissions(authorizedKeys, PosixFilePermissions.fromString("rw-r--r--"));
            Files.createDirectories(Path.of("/run/sshd"));
            Set<String> addresses = new HashSet<>();
            for (int i = 1; i <= size; i++) {
                String address;
                do {
                    address = "127.0." + (2 + RANDOM.nextInt(253)) + "." + (2 + RANDOM.nextInt(253));
                } while (!addresses.add(address));
                Node node = new Node("host" + i, address, dir.resolve("host" + i));
                Files.createDirectories(node.dir);
                node.newHostKey();
                nodes.put(node.name, node);
            }
            for (Node node : nodes.values()) {
                node.startOnFreePort();
            }
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Every host, in order {@code host1}, {@code host2}, ... */
    public synchronized List<Host> hosts() {
        requireStarted();
        return nodes.values().stream().map(Node::host).toList();
    }

    /** The host at {@code index}, counted from 0 ({@code host(0)} is {@code host1}). */
    public Host host(int index) {
        return hosts().get(index);
    }

    public String user() {
        return USER;
    }

    /** The fleet's directory (0711, root's); gone after {@link #close()}. */
    public Path dir() {
        requireStarted();
        return dir;
    }

    /** The client private key file without a passphrase (OpenSSH format, 0600). */
    public Path key() {
        requireStarted();
        return key;
    }

    /** The text of {@link #key()}, for a credential store. */
    public String keyText() {
        return read(key());
    }

    /** The passphrase-protected client private key file. */
    public Path passphraseKey() {
        requireStarted();
        return passphraseKey;
    }

    /** The text of {@link #passphraseKey()}. */
    public String passphraseKeyText() {
        return read(passphraseKey());
    }

    public String passphrase() {
        requireStarted();
        return passphrase;
    }

    /** The password {@code sudo} asks {@value #USER} for (sudo never caches it). */
    public String sudoPassword() {
        requireStarted();
        return sudoPassword;
    }

    /** {@code known_hosts} text with one line per host and its current key. */
    public String knownHosts() {
        return hosts().stream().map(host -> host.knownHostsLine() + "\n").collect(Collectors.joining());
    }

    public synchronized boolean isUp(Host host) {
        Node node = node(host);
        return node.process != null && node.process.isAlive();
    }

    /** Stops the host's daemon and every session it serves: new connections are refused. */
    public synchronized void down(Host host) {
        node(host).stop();
    }

    /** Starts a host that is {@link #down(Host)} again, with the same address, port and key. */
    public synchronized Host up(Host host) {
        Node node = node(host);
        if (node.process == null || !node.process.isAlive()) {
            node.startOnSamePort();
        }
        return node.host();
    }

    /**
     * Restarts the host with a new host key, on the same address and port, ending its open sessions
     * (so no multiplexed connection outlives the old key). Returns the host with its new key.
     */
    public synchronized Host changeHostKey(Host host) {
        Node node = node(host);
        node.stop();
        node.newHostKey();
        node.startOnSamePort();
        return node.host();
    }

    /** Starts an {@code ssh-agent} holding {@link #passphraseKey()}; stopped by its close or the fleet's. */
    public synchronized Agent startAgent() {
        requireStarted();
        Path socket = dir.resolve("agent-" + (++agentCount) + ".sock");
        Path log = dir.resolve("agent-" + agentCount + ".log");
        Process process;
        try {
            process = new ProcessBuilder(tool("ssh-agent"), "-D", "-a", socket.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Agent agent = new Agent(process, socket);
        agents.add(agent);
        await("ssh-agent listening on " + socket).atMost(START_LIMIT).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(socket) || !process.isAlive());
        if (!process.isAlive()) {
            agent.close();
            throw new IllegalStateException("ssh-agent ended at start: " + read(log));
        }
        Map<String, String> environment = askpassEnvironment();
        environment.put("SSH_AUTH_SOCK", socket.toString());
        run(List.of(tool("ssh-add"), passphraseKey.toString()), environment);
        return agent;
    }

    /** Stops every daemon and agent and deletes the fleet's directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        List.copyOf(agents).forEach(Agent::close);
        nodes.values().forEach(Node::stop);
        if (dir != null) {
            deleteTree(dir);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public String toString() {
        return "SshFleet" + (started ? nodes.values().stream().map(node -> node.host().toString()).toList() : "(not started)");
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("the fleet is not started: call start() or register it with @RegisterExtension on a static field");
        }
    }

    private Node node(Host host) {
        requireStarted();
        Node node = nodes.get(host.name());
        if (node == null) {
            throw new IllegalArgumentException("no host " + host.name() + " in " + this);
        }
        return node;
    }

    private Map<String, String> askpassEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SSH_ASKPASS", dir.resolve("askpass").toString());
        environment.put("SSH_ASKPASS_REQUIRE", "force");
        return environment;
    }

    /** One host: its daemon, configuration and key. */
    private final class Node {

        final String name;
        final String address;
        final Path dir;
        final Path hostKey;
        final Path config;
        final Path log;
        int port;
        String publicKey;
        Process process;

        Node(String name, String address, Path dir) {
            this.name = name;
            this.address = address;
            this.dir = dir;
            this.hostKey = dir.resolve("ssh_host_ed25519_key");
            this.config = dir.resolve("sshd_config");
            this.log = dir.resolve("sshd.log");
        }

        Host host() {
            return new Host(name, address, port, publicKey);
        }

        void newHostKey() {
            try {
                Files.deleteIfExists(hostKey);
                Files.deleteIfExists(Path.of(hostKey + ".pub"));
                run(List.of(tool("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", hostKey.toString()));
                String[] fields = Files.readString(Path.of(hostKey + ".pub")).trim().split("\\s+");
                publicKey = fields[0] + " " + fields[1];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void startOnFreePort() {
            String failures = "";
            for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
                port = freePort(address);
                Optional<String> failure = launch();
                if (failure.isEmpty()) {
                    return;
                }
                failures += "\n--- attempt " + attempt + " on port " + port + ":\n" + failure.get();
            }
            throw new IllegalStateException("sshd for " + name + " on " + address + " did not start:" + failures);
        }

        void startOnSamePort() {
            String failures = "";
            // the port was just released; another process may briefly hold it
            for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
                Optional<String> failure = launch();
                if (failure.isEmpty()) {
                    return;
                }
                failures += "\n--- attempt " + attempt + ":\n" + failure.get();
            }
            throw new IllegalStateException("sshd for " + name + " on " + address + ":" + port + " did not start again:" + failures);
        }

        /** Starts the daemon and waits for its banner; empty when it answers, else why not. */
        private Optional<String> launch() {
            try {
                Files.writeString(config, configuration());
                long logStart = Files.exists(log) ? Files.size(log) : 0;
                process = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                Process started = process;
                await(name + " answering on " + address + ":" + port).atMost(START_LIMIT)
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> !started.isAlive() || answers(address, port));
                if (started.isAlive()) {
                    return Optional.empty();
                }
                String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).substring((int) logStart);
                return Optional.of("exit " + started.exitValue() + ": " + output.trim());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String configuration() {
            String text = """
                    ListenAddress %s:%d
                    HostKey %s
                    PidFile %s
                    AuthorizedKeysFile %s
                    AllowUsers %s
                    UsePAM no
                    StrictModes no
                    PubkeyAuthentication yes
                    PasswordAuthentication no
                    KbdInteractiveAuthentication no
                    HostbasedAuthentication no
                    PermitRootLogin no
                    AuthenticationMethods publickey
                    X11Forwarding no
                    PrintMotd no
                    PrintLastLog no
                    LogLevel VERBOSE
                    Subsystem sftp internal-sftp
                    """.formatted(address, port, hostKey, dir.resolve("sshd.pid"),
                    SshFleet.this.dir.resolve("authorized_keys"), USER);
            if (penalisesFailedLogins()) {
                // tests fail logins on purpose (unknown host keys, stopped hosts); no lock-outs
                text += "PerSourcePenalties no\n";
            }
            return text;
        }

        void stop() {
            if (process != null) {
                stopTree(process);
            }
        }
    }

    // ---------------------------------------------------------------- machine set-up

    /** The sshd binary; fails with the package to install when something is missing. */
    private static Path checkPrerequisites() {
        Optional<String> missing = missingPrerequisites(searchPath(), isRoot());
        if (missing.isPresent()) {
            throw new IllegalStateException(missing.get());
        }
        return find("sshd").orElseThrow();
    }

    /** What the machine lacks for a fleet, naming the packages to install; empty when nothing. */
    static Optional<String> missingPrerequisites(String searchPath, boolean root) {
        List<String> missing = new ArrayList<>();
        if (!root) {
            missing.add("root (the tests start sshd and create the user " + USER + ")");
        }
        Map<String, String> packages = new LinkedHashMap<>();
        packages.put("sshd", "openssh-server");
        packages.put("ssh", "openssh-client");
        packages.put("ssh-keygen", "openssh-client");
        packages.put("ssh-agent", "openssh-client");
        packages.put("ssh-add", "openssh-client");
        packages.put("sudo", "sudo");
        packages.put("visudo", "sudo");
        packages.put("useradd", "passwd");
        packages.put("chpasswd", "passwd");
        packages.put("getent", "libc-bin");
        packages.forEach((command, pkg) -> {
            if (find(command, searchPath).isEmpty()) {
                missing.add(command + " (package " + pkg + ")");
            }
        });
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("SshFleet needs " + String.join(", ", missing)
                + ". Install with: apt-get install -y --no-install-recommends openssh-server sudo"
                + " (.ci/run does this)");
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Creates the test user with a home (once per machine), gives it the machine's random sudo
     * password and a sudoers drop-in. Under a file lock: test JVMs started at once would otherwise
     * race on {@code /etc/passwd} and the password.
     */
    private static synchronized String prepareUser() {
        if (sudoPassword != null) {
            return sudoPassword;
        }
        try {
            Files.createDirectories(STATE_DIR);
            Files.setPosixFilePermissions(STATE_DIR, PosixFilePermissions.fromString("rwx------"));
            try (FileChannel channel = FileChannel.open(STATE_DIR.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                if (run(List.of(tool("getent"), "passwd", USER), Map.of(), true).exitCode != 0) {
                    run(List.of(tool("useradd"), "--create-home", "--shell", "/bin/bash",
                            "--comment", "charon-jobs SSH test hosts", USER));
                }
                Path home = Path.of(run(List.of(tool("getent"), "passwd", USER)).output.trim().split(":")[5]);
                if (!Files.isDirectory(home)) {
                    Files.createDirectories(home);
                    run(List.of(tool("chown"), USER + ":", home.toString()));
                }
                Path passwordFile = STATE_DIR.resolve("sudo-password");
                if (!Files.exists(passwordFile)) {
                    Path fresh = STATE_DIR.resolve("sudo-password.new");
                    writePrivate(fresh, randomText(18));
                    Files.move(fresh, passwordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                String password = Files.readString(passwordFile).trim();
                // a real password hash: sudo checks it, and it unlocks the account, which sshd
                // without PAM requires; sshd never accepts the password (password logins are off)
                run(List.of(tool("chpasswd")), Map.of(), false, USER + ":" + password + "\n");
                String rules = """
                        # SSH test hosts of charon-jobs (io.charon.jobs.support.SshFleet): sudo with a password, asked every time
                        Defaults:%1$s timestamp_timeout=0, lecture=never
                        %1$s ALL=(ALL:ALL) ALL
                        """.formatted(USER);
                if (!Files.exists(SUDOERS_DROP_IN) || !Files.readString(SUDOERS_DROP_IN).equals(rules)) {
                    Path candidate = STATE_DIR.resolve("sudoers.new");
                    Files.writeString(candidate, rules);
                    Files.setPosixFilePermissions(candidate, PosixFilePermissions.fromString("r--r-----"));
                    run(List.of(tool("visudo"), "-cf", candidate.toString()));
                    Files.move(candidate, SUDOERS_DROP_IN, StandardCopyOption.REPLACE_EXISTING);
                }
                sweepAbandonedFleets();
                sudoPassword = password;
                return password;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the daemons and agents of fleets whose JVM died without closing them (a kill -9, a
     * fork killed on timeout) and deletes their directories, found by the owner file.
     */
    static void sweepAbandonedFleets() throws IOException {
        try (DirectoryStream<Path> fleets = Files.newDirectoryStream(FLEETS_DIR, FLEET_PREFIX + "*")) {
            for (Path fleet : fleets) {
                Path ownerFile = fleet.resolve("owner");
                String owner;
                try {
                    owner = Files.readString(ownerFile);
                } catch (IOException e) {
                    continue; // being created, or not a fleet
                }
                String pid = owner.split(" ")[0];
                boolean ownerAlive = ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                        .map(handle -> owner(handle).equals(owner)).orElse(false);
                if (!ownerAlive) {
                    String marker = fleet + "/";
                    ProcessHandle.allProcesses()
                            .filter(handle -> Processes.commandLine(handle).map(line -> line.contains(marker)).orElse(false))
                            .forEach(SshFleet::stopTree);
                    deleteTree(fleet);
                }
            }
        }
    }

    /** A process's pid and start time: a pid alone may have been reused. */
    private static String owner(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("-");
    }

    private static Boolean penalties;

    /** OpenSSH 9.8 and later lock out sources whose logins fail, unless told not to. */
    private static synchronized boolean penalisesFailedLogins() {
        if (penalties == null) {
            Result version = run(List.of(find("sshd").orElseThrow().toString(), "-V"), Map.of(), true);
            Matcher matcher = Pattern.compile("OpenSSH_(\\d+)\\.(\\d+)").matcher(version.output);
            penalties = matcher.find()
                    && Integer.parseInt(matcher.group(1)) * 100 + Integer.parseInt(matcher.group(2)) >= 908;
        }
        return penalties;
    }

    // ---------------------------------------------------------------- processes and files

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) {
        return run(command, Map.of(), false, null);
    }

    private static Result run(List<String> command, Map<String, String> environment) {
        return run(command, environment, false, null);
    }

    private static Result run(List<String> command, Map<String, String> environment, boolean mayFail) {
        return run(command, environment, mayFail, null);
    }

    /** Runs a command without a shell; its input, if any, comes through stdin, never the command line. */
    private static Result run(List<String> command, Map<String, String> environment, boolean mayFail, String input) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().remove("SSH_AUTH_SOCK");
            builder.environment().remove("DISPLAY");
            builder.environment().putAll(environment);
            if (input == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process process = builder.start();
            if (input != null) {
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output;
            try (InputStream stdout = process.getInputStream()) {
                output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            int exitCode = process.waitFor();
            if (exitCode != 0 && !mayFail) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit " + exitCode + ": " + output.trim());
            }
            return new Result(exitCode, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The PATH and the sbin directories (often missing from a user's PATH). */
    private static String searchPath() {
        return System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
    }

    private static Optional<Path> find(String command) {
        return find(command, searchPath());
    }

    private static Optional<Path> find(String command, String searchPath) {
        return Stream.of(searchPath.split(":")).filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, command))
                .filter(Files::isExecutable)
                .map(Path::toAbsolutePath)
                .findFirst();
    }

    private static String tool(String command) {
        return find(command).orElseThrow(() -> new IllegalStateException(command + " is missing")).toString();
    }

    /** TERM to the process and every descendant (sessions included), KILL to whatever outlives the grace. */
    private static void stopTree(Process process) {
        stopTree(process.toHandle());
        try {
            process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopTree(ProcessHandle process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                handle.destroyForcibly();
            } catch (ExecutionException e) {
                // gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
        }
    }

    /** True once something on the address and port speaks SSH. */
    private static boolean answers(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1_000);
            socket.setSoTimeout(5_000);
            byte[] banner = socket.getInputStream().readNBytes(4);
            return new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind " + address + " (all of 127/8 should be local on Linux): " + e.getMessage(), e);
        }
    }

    private static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // left for the next clean of /tmp
                }
            });
        } catch (IOException e) {
            // left for the next clean of /tmp
        }
    }
}
