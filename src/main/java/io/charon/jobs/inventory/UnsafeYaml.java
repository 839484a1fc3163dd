package io.charon.jobs.inventory;

/**
 * YAML scalars for the files Ansible reads: names double-quoted, values also tagged
 * {@code !unsafe} so that Ansible never templates them (a {@code {{ lookup('pipe', 'id') }}}
 * stays text). Every character outside printable ASCII is escaped, so no value can end its
 * scalar, start a new line or carry a tag of its own.
 */
public final class UnsafeYaml {

    private UnsafeYaml() {
    }

    /** A YAML double-quoted scalar; every character outside printable ASCII is escaped. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                out.append('\\').append((char) cp);
            } else if (cp >= 0x20 && cp < 0x7f) {
                out.append((char) cp);
            } else if (cp <= 0xff) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        });
        return out.append('"').toString();
    }

    /** A value Ansible takes as literal text: {@code !unsafe} and the double-quoted scalar. */
    public static String unsafe(String text) {
        return "!unsafe " + quote(text);
    }
}
