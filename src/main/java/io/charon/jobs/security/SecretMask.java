package io.charon.jobs.security;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Hides secret values in output: every occurrence of a value, of its JSON-escaped forms (how
 * Ansible prints values inside results) and of each line of a multi-line value, longest first, is
 * replaced by {@link #MASK}. Applied to every line of a run's output before it reaches the log,
 * the progress events or the error message.
 */
public final class SecretMask {

    public static final String MASK = "********";
    public static final SecretMask NONE = new SecretMask(List.of());

    private final List<String> needles;

    private SecretMask(List<String> needles) {
        this.needles = needles;
    }

    public static SecretMask of(Collection<String> values) {
        Set<String> needles = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isEmpty()) {
                continue;
            }
            needles.add(value);
            needles.add(jsonEscaped(value, false));
            needles.add(jsonEscaped(value, true));
            for (String line : value.split("\r?\n")) {
                if (!line.isBlank()) {
                    needles.add(line);
                }
            }
        }
        return new SecretMask(needles.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    public boolean isEmpty() {
        return needles.isEmpty();
    }

    public String apply(String text) {
        String masked = text;
        for (String needle : needles) {
            if (masked.contains(needle)) {
                masked = masked.replace(needle, MASK);
            }
        }
        return masked;
    }

    /** The value inside a JSON string: quotes, backslashes and control characters escaped; with {@code ascii}, all non-ASCII too. */
    static String jsonEscaped(String value, boolean ascii) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        value.chars().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || (ascii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        });
        return out.toString();
    }
}
