package io.charon.jobs.credential;

import io.charon.jobs.files.PrivateFiles;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.ssh.SshAgent;
import io.charon.jobs.ssh.SshKeys;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks an ssh private key the way a run uses it: written 0600 into a private directory of its
 * own under the work directory, and added with its passphrase to an ssh-agent of its own. The
 * directory, with the key, the agent's socket and anything the passphrase passed through, is
 * removed whatever the outcome. What a refusal says names the field at fault, never the key.
 */
final class SshKeyCheck {

    static final String PRIVATE_KEY = SealedCredential.PRIVATE_KEY;
    static final String PASSPHRASE = SealedCredential.PASSPHRASE;
    static final String DIRECTORY_PREFIX = "key-";
    private static final Duration AGENT_KEY_LIFETIME = Duration.ofMinutes(1);
    private static final Pattern OPENSSH = Pattern.compile(
            "-----BEGIN OPENSSH PRIVATE KEY-----(.*?)-----END OPENSSH PRIVATE KEY-----", Pattern.DOTALL);
    private static final Pattern PEM = Pattern.compile("-----BEGIN (RSA |DSA |EC )?PRIVATE KEY-----");
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    private final Path workDir;
    private final SecureRandom random = new SecureRandom();

    SshKeyCheck(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * The fingerprint ({@code SHA256:...}) of the key's public half.
     *
     * @param privateKey normalized key text
     * @param passphrase null for a key without one
     * @throws InvalidInputException naming {@code privateKey} or {@code passphrase}
     * @throws KeyCheckUnavailableException ssh-agent or ssh-add could not do their part
     */
    String fingerprint(String privateKey, String passphrase) {
        Optional<Boolean> encrypted = encrypted(privateKey);
        if (encrypted.orElse(false) && passphrase == null) {
            throw new InvalidInputException(PASSPHRASE, "is required: the private key is encrypted");
        }
        if (!encrypted.orElse(true) && passphrase != null) {
            throw new InvalidInputException(PASSPHRASE, "must be left out: the private key is not encrypted");
        }
        Path directory = null;
        try {
            directory = newDirectory();
            Path keyFile = PrivateFiles.file(directory.resolve("key"));
            Files.writeString(keyFile, privateKey, StandardCharsets.UTF_8);
            // the key expires by itself should the service die before the agent is stopped
            try (SshAgent agent = SshAgent.start(directory, AGENT_KEY_LIFETIME)) {
                try {
                    agent.add(keyFile, passphrase);
                } catch (SshAgent.KeyRefusedException e) {
                    throw new InvalidInputException(encrypted.orElse(false) ? PASSPHRASE : PRIVATE_KEY, e.getMessage());
                }
                List<String> keys = agent.publicKeys();
                if (keys.size() != 1) {
                    throw new InvalidInputException(PRIVATE_KEY, "must hold exactly one private key");
                }
                return SshKeys.fingerprint(keys.get(0)).orElseThrow(() ->
                        new InvalidInputException(PRIVATE_KEY, "has a public half that ssh-add cannot show"));
            }
        } catch (IOException e) {
            // the message may name the directory, never the key: it goes to the log, not to the client
            throw new KeyCheckUnavailableException("the private key cannot be checked now: " + e.getMessage(), e);
        } finally {
            if (directory != null) {
                remove(directory);
            }
        }
    }

    /**
     * Whether the key's text says it is encrypted: the cipher of an OpenSSH key, the header of a
     * PEM one; empty when the text is neither, and ssh-add will say what is wrong.
     */
    static Optional<Boolean> encrypted(String privateKey) {
        Matcher openssh = OPENSSH.matcher(privateKey);
        if (openssh.find()) {
            try {
                ByteBuffer body = ByteBuffer.wrap(Base64.getMimeDecoder().decode(openssh.group(1).strip()));
                byte[] magic = new byte[OPENSSH_MAGIC.length];
                body.get(magic);
                if (!Arrays.equals(magic, OPENSSH_MAGIC)) {
                    return Optional.empty();
                }
                int length = body.getInt();
                if (length < 0 || length > body.remaining() || length > 64) {
                    return Optional.empty();
                }
                byte[] cipher = new byte[length];
                body.get(cipher);
                return Optional.of(!new String(cipher, StandardCharsets.US_ASCII).equals("none"));
            } catch (IllegalArgumentException | BufferUnderflowException e) {
                return Optional.empty();
            }
        }
        if (privateKey.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            return Optional.of(true);
        }
        if (privateKey.contains("-----BEGIN PRIVATE KEY-----")) {
            return Optional.of(false);
        }
        if (PEM.matcher(privateKey).find()) {
            return Optional.of(privateKey.contains("Proc-Type: 4,ENCRYPTED"));
        }
        return Optional.empty();
    }

    /** A new directory of the service user's only; its name is short, as the agent's socket path must be. */
    private Path newDirectory() throws IOException {
        PrivateFiles.createMissing(workDir);
        for (int attempt = 0; ; attempt++) {
            byte[] bytes = new byte[5];
            random.nextBytes(bytes);
            try {
                return Files.createDirectory(workDir.resolve(DIRECTORY_PREFIX + HexFormat.of().formatHex(bytes)),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Stops the agents and removes the directories of key checks that a service which died
     * outright left behind; called at start-up, when no check of this process runs yet (the work
     * directory is this process's alone, as its data directory is).
     */
    void removeLeftovers() {
        if (!Files.isDirectory(workDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(workDir)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(DIRECTORY_PREFIX)).toList()) {
                String place = dir.toAbsolutePath() + "/";
                ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                        .map(args -> String.join(" ", args).contains(place)).orElse(false)).forEach(ProcessHandle::destroy);
                remove(dir);
            }
        } catch (IOException | KeyCheckUnavailableException e) {
            // the next start tries again; a leftover key expired with its agent's lifetime
        }
    }

    private static void remove(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new KeyCheckUnavailableException("the directory of a key check could not be removed: "
                    + e.getMessage(), e);
        }
    }
}
