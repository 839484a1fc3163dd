package io.charon.jobs.ssh;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run's own ssh-agent, with keys made by ssh-keygen. */
@Tag("store-independent")
class SshAgentTest {

    @TempDir
    Path dir;

    @Test
    void addsAPassphraseKeyThroughItsFileAndShowsItsFingerprint() throws Exception {
        Path key = keygen("key", "correct horse");
        try (SshAgent agent = SshAgent.start(dir.resolve("agent"))) {
            agent.add(key, "correct horse");
            List<String> keys = agent.publicKeys();
            assertThat(keys).hasSize(1);
            assertThat(SshKeys.fingerprint(keys.get(0))).contains(fingerprintByKeygen(key));
            assertThat(dir.resolve("agent")).isDirectoryNotContaining(path ->
                    path.getFileName().toString().startsWith("passphrase") || path.getFileName().toString().equals("askpass"));
        }
        assertThat(dir.resolve("agent/agent.sock")).doesNotExist();
    }

    @Test
    void refusesAWrongPassphraseAndAMissingOne() throws Exception {
        Path key = keygen("key", "correct horse");
        try (SshAgent agent = SshAgent.start(dir.resolve("agent"))) {
            assertThatThrownBy(() -> agent.add(key, "battery staple"))
                    .isInstanceOf(SshAgent.KeyRefusedException.class).hasMessageContaining("passphrase does not open");
            assertThatThrownBy(() -> agent.add(key, null)).isInstanceOf(SshAgent.KeyRefusedException.class)
                    .hasMessageContaining("none was given");
            assertThat(agent.publicKeys()).isEmpty();
        }
    }

    @Test
    void refusesTextThatIsNoKey() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("nokey"), "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n");
        Files.setPosixFilePermissions(notAKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (SshAgent agent = SshAgent.start(dir.resolve("agent"))) {
            assertThatThrownBy(() -> agent.add(notAKey, null)).isInstanceOf(SshAgent.KeyRefusedException.class)
                    .hasMessageContaining("not a private key");
        }
    }

    private Path keygen(String name, String passphrase) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        Process process = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor()).isZero();
        return key;
    }

    private static String fingerprintByKeygen(Path key) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ssh-keygen", "-l", "-f", key + ".pub").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isZero();
        return output.split("\\s+")[1];
    }
}
