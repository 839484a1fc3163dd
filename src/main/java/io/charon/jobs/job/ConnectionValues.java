package io.charon.jobs.job;

import java.util.regex.Pattern;

/**
 * What may stand where Ansible puts a value on ssh's or a remote shell's command line: a host's
 * address and a remote user's name. Nothing may start with a dash (ssh would read an option such
 * as {@code -oProxyCommand=...}) or hold spaces, quotes or shell characters (become plugins put
 * the user into a remote command line unquoted).
 */
public final class ConnectionValues {

    /** A host name, an IPv4 address, or an IPv6 address (hex digits, colons, dots). */
    public static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]{1,45}");
    /** A user name on a remote host. */
    public static final Pattern REMOTE_USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@$\\\\-]{0,99}");

    private ConnectionValues() {
    }
}
