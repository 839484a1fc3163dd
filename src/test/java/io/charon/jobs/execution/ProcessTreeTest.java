package io.charon.jobs.execution;

import io.charon.jobs.support.Processes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProcessTreeTest {

    /** A sleep no other process runs: its duration is the marker. */
    private static String uniqueSleep() {
        return "7000." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    }

    @Test
    void aSessionLeaderTakesDownWhatItsDeadChildrenLeftBehind() throws IOException {
        String orphan = uniqueSleep();
        String leader = uniqueSleep();
        // the subshell starts a sleep and exits: the sleep is re-parented, no longer a descendant
        Process process = new ProcessBuilder("setsid", "sh", "-c", "(sleep " + orphan + " &); exec sleep " + leader)
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Processes.alive(orphan) == 1 && Processes.alive(leader) == 1);
            assertThat(process.toHandle().descendants().map(Processes::commandLine))
                    .noneMatch(line -> line.orElse("").contains(orphan));

            ProcessTree.terminate(process.toHandle(), Duration.ofSeconds(5));

            assertThat(process.isAlive()).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> Processes.alive(orphan) == 0);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aRootOutsideASessionOfItsOwnTakesDownOnlyItsDescendants() throws IOException {
        String child = uniqueSleep();
        String bystander = uniqueSleep();
        // shares the test's session: without setsid, only the tree may go
        Process process = new ProcessBuilder("sh", "-c", "sleep " + child + " & wait").start();
        Process other = new ProcessBuilder("sleep", bystander).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Processes.alive(child) > 0);

            ProcessTree.terminate(process.toHandle(), Duration.ofSeconds(5));

            await().atMost(Duration.ofSeconds(30)).until(() -> Processes.alive(child) == 0);
            assertThat(process.isAlive()).isFalse();
            assertThat(other.isAlive()).isTrue();
        } finally {
            process.destroyForcibly();
            other.destroyForcibly();
        }
    }
}
