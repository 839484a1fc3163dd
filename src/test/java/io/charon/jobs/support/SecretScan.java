package io.charon.jobs.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where a secret text shows up on this machine: process command lines and environments, files. */
public final class SecretScan {

    private SecretScan() {
    }

    /** Every process whose command line or environment holds {@code text}. */
    public static List<Long> processesMentioning(String text) throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                for (String part : List.of("cmdline", "environ")) {
                    try {
                        if (new String(Files.readAllBytes(proc.resolve(part)), StandardCharsets.UTF_8).contains(text)) {
                            found.add(Long.parseLong(proc.getFileName().toString()));
                        }
                    } catch (IOException gone) {
                        // the process ended, or is not ours to read
                    }
                }
            }
        }
        return found;
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
