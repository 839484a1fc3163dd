package io.charon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things are. The service runs from a snapshot of {@code target/quarkus-app} that
 * {@code bench/run} copies to {@code bench/target/service/}, so that a rebuild of the project
 * during a long benchmark (the repository is shared) cannot swap classes under a running service.
 */
record Layout(Path root) {

    static Layout fromSystemProperties() {
        return new Layout(Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize());
    }

    Path appDir() {
        return Path.of(System.getProperty("bench.app", root.resolve("bench/target/service/quarkus-app").toString()))
                .toAbsolutePath();
    }

    Path jar() {
        return appDir().resolve("quarkus-run.jar");
    }

    Path playbookDir() {
        return root.resolve("src/test/resources/playbooks");
    }

    /**
     * The stand-in for ansible-playbook that {@code --fake} names: {@code compiled} is
     * {@code bench/fake-ansible-playbook.c} as bench/run builds it where the machine has a C
     * compiler, {@code script} the {@code /bin/sh} one.
     */
    Path fakeAnsible(String kind) {
        return switch (kind) {
            case "compiled" -> {
                if (!Files.isExecutable(compiledFake())) {
                    throw new ScenarioFailure(compiledFake() + " is missing: bench/run builds it with cc; without a C compiler use --fake script");
                }
                yield compiledFake();
            }
            case "script" -> root.resolve("bench/fake-ansible-playbook");
            default -> throw new ScenarioFailure("--fake is compiled or script, not " + kind);
        };
    }

    /**
     * The stand-in for ansible-playbook of host-locks: {@code bench/fake-ansible-holding}, which
     * keeps a job of {@code hold.yml} running until its release file exists and ends any other at once.
     */
    Path holdingFake() {
        return root.resolve("bench/fake-ansible-holding");
    }

    Path compiledFake() {
        return work().resolve("fake-ansible-playbook");
    }

    /**
     * {@code --fake}'s value as the settings line shows it: for the compiled fake, also how bench/run
     * built it (freestanding, static or dynamic: the C library's start-up is part of each run's cost).
     */
    String describeFake(String kind) {
        if (!kind.equals("compiled")) {
            return kind;
        }
        try {
            return kind + "/" + Files.readString(work().resolve("fake-ansible-playbook.build")).strip();
        } catch (IOException e) {
            return kind; // no build named: not built by this bench/run
        }
    }

    Path work() {
        return root.resolve("bench/target");
    }

    /** Fresh data directories of the services under test, one per run. */
    Path dataRoot() {
        return work().resolve("data");
    }

    /** Service logs, kept after a run so a failure can be examined. */
    Path logRoot() {
        return work().resolve("logs");
    }

    /** Seeded stores, copied into a run's data directory. */
    Path storeRoot() {
        return work().resolve("stores");
    }

    void check() {
        if (!Files.isRegularFile(jar())) {
            throw new IllegalStateException(jar() + " is missing: run through bench/run, which builds and copies it");
        }
    }
}
