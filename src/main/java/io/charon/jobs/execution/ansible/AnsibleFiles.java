package io.charon.jobs.execution.ansible;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.charon.jobs.files.PrivateFiles;
import io.charon.jobs.inventory.UnsafeYaml;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the inventory and the variables file of a run, readable by the service user only.
 * User values never reach a command line or a shell.
 */
final class AnsibleFiles {

    static final String LOCALHOST = "localhost";
    static final String VARIABLES = "vars.yml";
    static final String SECRETS = "secrets.yml";
    static final String LIMIT = "limit";

    private AnsibleFiles() {
    }

    /** A private directory (0700). */
    static Path privateDirectory(Path dir) throws IOException {
        return PrivateFiles.directory(dir);
    }

    /**
     * INI inventory with one host per line. Hosts were validated at submission (no spaces,
     * commas, '=' or leading dash), so a line cannot smuggle in variables. {@code localhost}
     * runs with the local connection and the interpreter that runs Ansible itself.
     */
    static Path writeInventory(Path runDir, List<String> hosts) throws IOException {
        return writeInventory(runDir, hosts, "inventory.ini");
    }

    /** {@link #writeInventory(Path, List)} into a file of the given name in the run directory. */
    static Path writeInventory(Path runDir, List<String> hosts, String fileName) throws IOException {
        StringBuilder ini = new StringBuilder("[all]\n");
        for (String host : hosts) {
            ini.append(host);
            if (LOCALHOST.equals(host)) {
                ini.append(" ansible_connection=local ansible_python_interpreter=\"{{ ansible_playbook_python }}\"")
                        .append(" ansible_remote_tmp=").append(runDir.resolve("tmp"));
            }
            ini.append('\n');
        }
        return writePrivate(runDir.resolve(fileName), ini.toString());
    }

    /**
     * The hosts to run on as a limit file, one per line, so that no host name reaches the command
     * line; returns the option that names it.
     */
    static String limit(Path runDir, List<String> hosts) throws IOException {
        StringBuilder lines = new StringBuilder();
        hosts.forEach(host -> lines.append(host).append('\n'));
        return "--limit=@" + writePrivate(runDir.resolve(LIMIT), lines.toString());
    }

    /**
     * Extra variables as YAML in JSON's flow style, every value tagged {@code !unsafe} so that
     * Ansible never templates it: a submitted {@code {{ lookup('pipe', 'id') }}} stays text.
     */
    static Path writeVariables(Path runDir, String fileName, Map<String, String> variables) throws IOException {
        StringBuilder yaml = new StringBuilder("{");
        new TreeMap<>(variables).forEach((name, value) -> {
            if (yaml.length() > 1) {
                yaml.append(",\n ");
            }
            yaml.append(UnsafeYaml.quote(name)).append(": ").append(UnsafeYaml.unsafe(value));
        });
        yaml.append("}\n");
        return writePrivate(runDir.resolve(fileName), yaml.toString());
    }

    private static Path writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        privateFile(file);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** A new empty file readable and writable by the service user only (0600). */
    static Path privateFile(Path file) throws IOException {
        return PrivateFiles.file(file);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover directory holds no secret once its files are gone
                }
            });
        } catch (IOException e) {
            // best effort, see above
        }
    }
}
