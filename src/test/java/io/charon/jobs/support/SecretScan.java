package io.charon.jobs.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where a secret text shows up on this machine: process command lines and environments, files. */
public final class SecretScan {

    private SecretScan() {
    }

    /** Every process whose command line or environment holds {@code text}. */
    public static List<Long> processesMentioning(String text) throws IOException {
        return processesMentioningAny(List.of(text)).stream()
                .map(place -> Long.parseLong(place.substring("/proc/".length(), place.lastIndexOf('/')))).distinct().toList();
    }

    /** Where any of {@code texts} shows in a process's command line or environment, as {@code /proc/<pid>/<part>}. */
    public static List<String> processesMentioningAny(Collection<String> texts) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                for (String part : List.of("cmdline", "environ")) {
                    String content;
                    try {
                        content = new String(Files.readAllBytes(proc.resolve(part)), StandardCharsets.UTF_8);
                    } catch (IOException gone) {
                        continue; // the process ended, or is not ours to read
                    }
                    if (texts.stream().anyMatch(content::contains)) {
                        found.add(proc + "/" + part);
                    }
                }
            }
        }
        return found;
    }

    /** The lines of a private key's text that identify it: all but its armour, at least 20 characters. */
    public static List<String> keyLines(String privateKey) {
        return privateKey.lines().filter(line -> !line.startsWith("-----") && line.length() >= 20).toList();
    }

    /** A directory tree's entries with their modification times, or "absent": to see that nothing changed it. */
    public static String describe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return "absent";
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.map(path -> {
                try {
                    return path + " " + Files.getLastModifiedTime(path);
                } catch (IOException e) {
                    return path + " ?";
                }
            }).sorted().collect(Collectors.joining("\n"));
        }
    }

    /** Every regular file under {@code root} that holds {@code text}. */
    public static List<Path> filesHolding(Path root, String text) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return indexOf(Files.readAllBytes(file), needle) >= 0;
                } catch (IOException gone) {
                    return false;
                }
            }).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
