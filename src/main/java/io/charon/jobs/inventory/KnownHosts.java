package io.charon.jobs.inventory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenSSH known_hosts text, line by line: {@code [@cert-authority|@revoked] hostpatterns keytype
 * base64key [comment]}; blank lines and {@code #} comments are kept as they are. A key must be
 * well-formed base64 whose blob names the line's key type, as {@code ssh-keyscan} and
 * {@code ssh} write it.
 */
final class KnownHosts {

    /** Most UTF-8 bytes of an inventory's known hosts. */
    static final int MAX_BYTES = 1 << 20;

    private static final Pattern FIELDS = Pattern.compile("[ \t]+");
    private static final Pattern KEY_TYPE = Pattern.compile("[A-Za-z0-9@._+-]{1,100}");

    private KnownHosts() {
    }

    /** The lines of {@code text}, each without its line ending. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the ending of the last line
        }
        return lines;
    }

    /** The text with {@code \n} line endings, the last line ended too; empty stays empty. */
    static String normalized(String text) {
        List<String> lines = lines(text);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    static boolean isEntry(String line) {
        String stripped = line.strip();
        return !stripped.isEmpty() && !stripped.startsWith("#");
    }

    /** What is wrong with an entry line, if anything. */
    static Optional<String> problem(String line) {
        if (line.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
            return Optional.of("must not contain control characters");
        }
        String[] fields = FIELDS.split(line.strip());
        int at = fields[0].startsWith("@") ? 1 : 0;
        if (at == 1 && !fields[0].equals("@cert-authority") && !fields[0].equals("@revoked")) {
            return Optional.of("has an unknown marker; only @cert-authority and @revoked are known");
        }
        if (fields.length < at + 3) {
            return Optional.of("must be 'hostpattern keytype base64key [comment]'");
        }
        String type = fields[at + 1];
        if (!KEY_TYPE.matcher(type).matches()) {
            return Optional.of("has no key type such as ssh-ed25519 after the host pattern");
        }
        if (!type.equals(blobType(fields[at + 2]))) {
            return Optional.of("must have a base64 " + type + " key after its key type");
        }
        return Optional.empty();
    }

    /** What identifies an entry: marker, host patterns, key type and key, without the comment. */
    static String identity(String line) {
        String[] fields = FIELDS.split(line.strip());
        int at = fields[0].startsWith("@") ? 1 : 0;
        int end = Math.min(fields.length, at + 3);
        return String.join(" ", java.util.Arrays.copyOfRange(fields, 0, end));
    }

    /** How an audit entry names an entry: marker, host patterns and key type, not the key. */
    static String hostAndType(String line) {
        String identity = identity(line);
        return identity.substring(0, Math.max(identity.lastIndexOf(' '), 0));
    }

    /** The key type a public key blob begins with, or null when it is not one. */
    private static String blobType(String base64) {
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            int length = blob.getInt();
            if (length <= 0 || length > 100 || length > blob.remaining()) {
                return null;
            }
            byte[] name = new byte[length];
            blob.get(name);
            return new String(name, StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return null;
        }
    }
}
