package io.charon.jobs.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' compiled stand-in for ansible-playbook ({@code bench/fake-ansible-playbook.c}),
 * built with {@code cc} into {@code target/} for load tests whose figures are meant to be the
 * service's: it records its runs as the script fake does ({@code CHARON_FAKE_RECORD},
 * {@code CHARON_FAKE_MAX_MS}) at one process per run, where the script costs three (bash, its
 * {@code sleep}, and bash's start-up is itself several milliseconds of CPU on a virtual machine).
 * Built freestanding on x86-64 Linux as {@code bench/run} builds it; no C compiler fails the test.
 */
public final class CompiledFake {

    private static final Path SOURCE = Path.of("bench/fake-ansible-playbook.c");
    private static final Path BUILT = Path.of("target/fake-ansible/compiled/ansible-playbook");

    private CompiledFake() {
    }

    /** The compiled fake's absolute path, built on first use. */
    public static synchronized Path path() throws IOException, InterruptedException {
        if (Files.isExecutable(BUILT) && Files.getLastModifiedTime(BUILT).compareTo(Files.getLastModifiedTime(SOURCE)) > 0) {
            return BUILT.toAbsolutePath();
        }
        Files.createDirectories(BUILT.getParent());
        boolean freestanding = System.getProperty("os.arch").equals("amd64") && System.getProperty("os.name").equals("Linux");
        List<String> command = new ArrayList<>(List.of("cc", "-O2", "-o", BUILT.toString()));
        if (freestanding) {
            command.addAll(List.of("-static", "-nostdlib", "-ffreestanding", "-fno-builtin",
                    "-fno-tree-loop-distribute-patterns", "-fno-stack-protector", "-DFAKE_FREESTANDING"));
        }
        command.add(SOURCE.toString());
        Process cc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes());
        if (!cc.waitFor(60, TimeUnit.SECONDS) || cc.exitValue() != 0) {
            throw new IllegalStateException("cannot compile " + SOURCE + " (" + String.join(" ", command) + "): " + output);
        }
        return BUILT.toAbsolutePath();
    }
}
