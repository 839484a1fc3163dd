package io.charon.jobs.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/** Facts about SSH keys as OpenSSH writes them. */
public final class SshKeys {

    private SshKeys() {
    }

    /**
     * The fingerprint of a public key line ({@code ssh-ed25519 AAAA... comment}) as
     * {@code ssh-keygen -l} prints it: {@code SHA256:} and the unpadded base64 SHA-256 of the key.
     */
    public static Optional<String> fingerprint(String publicKeyLine) {
        String[] parts = publicKeyLine.trim().split("\\s+");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return Optional.of("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A private key's text as OpenSSH reads it: Unix line ends and a final one (ssh-add refuses
     * a key whose last line has none, as pasted keys often lack).
     */
    public static String normalized(String privateKey) {
        return privateKey.replace("\r\n", "\n").strip() + "\n";
    }
}
