package io.charon.jobs.credential;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Key pairs made by ssh-keygen, and their fingerprints as ssh-keygen prints them. */
final class KeyPairs {

    /** A private key's text, its passphrase (null for none) and what {@code ssh-keygen -lf} says of its public half. */
    record KeyPair(String privateKey, String passphrase, String fingerprint) {
    }

    private KeyPairs() {
    }

    /** An ed25519 key in OpenSSH form. */
    static KeyPair ed25519(Path dir, String passphrase) throws IOException, InterruptedException {
        return make(dir, passphrase, "-t", "ed25519");
    }

    /** An RSA key in PEM form ({@code BEGIN RSA PRIVATE KEY}). */
    static KeyPair rsaPem(Path dir, String passphrase) throws IOException, InterruptedException {
        return make(dir, passphrase, "-t", "rsa", "-b", "2048", "-m", "PEM");
    }

    private static KeyPair make(Path dir, String passphrase, String... type) throws IOException, InterruptedException {
        Path key = Files.createTempDirectory(dir, "pair").resolve("id");
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q"));
        command.addAll(List.of(type));
        command.addAll(List.of("-N", passphrase == null ? "" : passphrase, "-C", "test@charon", "-f", key.toString()));
        run(command);
        String listed = run(List.of("ssh-keygen", "-lf", key + ".pub"));
        return new KeyPair(Files.readString(key), passphrase, listed.split("\\s+")[1]);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
        return output;
    }
}
