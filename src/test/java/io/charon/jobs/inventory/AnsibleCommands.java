package io.charon.jobs.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs Ansible's own command-line tools on an inventory file, as the real reference. */
final class AnsibleCommands {

    /** What a command printed (stdout and stderr together) and how it ended. */
    record Run(int exitCode, String output) {
    }

    private AnsibleCommands() {
    }

    /** Writes {@code document} as {@link InventoryYaml} does into {@code dir}/inventory.yml. */
    static Path inventoryFile(Path dir, InventoryDocument document) throws IOException {
        return Files.writeString(dir.resolve("inventory.yml"), InventoryYaml.write(document), StandardCharsets.UTF_8);
    }

    static Run run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
        env.put("ANSIBLE_SSH_ARGS", "-o UserKnownHostsFile=/dev/null -o ConnectTimeout=10");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** The hosts {@code ansible all --list-hosts --limit pattern} selects, sorted. */
    static List<String> listHosts(Path dir, Path inventory, String pattern) throws IOException, InterruptedException {
        Run run = run(dir, "ansible", "all", "-i", inventory.toString(), "--list-hosts", "--limit", pattern);
        if (run.exitCode() != 0) {
            if (run.output().contains("no hosts to target")) {
                return List.of();
            }
            throw new AssertionError("ansible --list-hosts failed: " + run.output());
        }
        List<String> hosts = new ArrayList<>();
        boolean listing = false;
        for (String line : run.output().split("\n")) {
            if (line.matches("\\s*hosts \\(\\d+\\):\\s*")) {
                listing = true;
            } else if (listing && line.startsWith("    ") && !line.isBlank()) {
                hosts.add(line.strip());
            }
        }
        return hosts.stream().sorted().toList();
    }
}
