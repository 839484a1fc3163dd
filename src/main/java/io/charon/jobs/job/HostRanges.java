package io.charon.jobs.job;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How many hosts an inventory entry stands for once Ansible expands its ranges, counted without
 * expanding them: {@code web[01:20]} is 20 hosts, {@code web[1:20:2]} 10, {@code db-[a:f]} 6, and
 * several ranges in one name multiply ({@code r[1:4]-[a:c]} is 12). The grammar is Ansible's
 * (the INI inventory's {@code expand_hostname_range}), refusing what it would refuse at run time,
 * and a little stricter: bounds are plain whole numbers or single letters, the step a positive
 * whole number, and a range stands for at least one host.
 */
public final class HostRanges {

    private static final Pattern NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern LETTER = Pattern.compile("[A-Za-z]");
    /** Ansible's order of letters ({@code string.ascii_letters}): a range may run from lower to upper case. */
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** A range that Ansible would refuse, or that stands for no host; the message says why. */
    public static final class InvalidRangeException extends IllegalArgumentException {
        InvalidRangeException(String message) {
            super(message);
        }
    }

    private HostRanges() {
    }

    /** The number of hosts {@code entry} stands for: 1 without a range. */
    public static BigInteger count(String entry) {
        BigInteger hosts = BigInteger.ONE;
        String rest = entry;
        // Ansible takes the first [ and the first ] as one range and repeats on what follows
        for (int open = rest.indexOf('['); open >= 0; open = rest.indexOf('[')) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new InvalidRangeException("opens a host range with [ that no ] closes");
            }
            if (close < open) {
                throw new InvalidRangeException("has a ] that closes no host range");
            }
            hosts = hosts.multiply(rangeSize(rest.substring(open + 1, close)));
            rest = rest.substring(close + 1);
        }
        return hosts;
    }

    /**
     * The host names {@code entry} stands for, in Ansible's order; for an entry that
     * {@link #count} accepted, whose size the caller has bounded.
     */
    public static List<String> expand(String entry) {
        int open = entry.indexOf('[');
        if (open < 0) {
            return List.of(entry);
        }
        int close = entry.indexOf(']');
        String head = entry.substring(0, open);
        List<String> tails = expand(entry.substring(close + 1));
        List<String> names = new ArrayList<>();
        for (String value : rangeValues(entry.substring(open + 1, close))) {
            tails.forEach(tail -> names.add(head + value + tail));
        }
        return names;
    }

    /** The values of a valid range, zero-padded to its begin's width when that begins with a zero. */
    private static List<String> rangeValues(String range) {
        String[] bounds = range.split(":", -1);
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        BigInteger step = bounds.length == 3 ? new BigInteger(bounds[2]) : BigInteger.ONE;
        List<String> values = new ArrayList<>();
        if (LETTER.matcher(begin).matches()) {
            BigInteger last = BigInteger.valueOf(LETTERS.indexOf(end));
            for (BigInteger i = BigInteger.valueOf(LETTERS.indexOf(begin)); i.compareTo(last) <= 0; i = i.add(step)) {
                values.add(String.valueOf(LETTERS.charAt(i.intValueExact())));
            }
            return values;
        }
        String format = begin.length() > 1 && begin.charAt(0) == '0' ? "%0" + begin.length() + "d" : "%d";
        BigInteger last = new BigInteger(end);
        for (BigInteger i = new BigInteger(begin); i.compareTo(last) <= 0; i = i.add(step)) {
            values.add(String.format(Locale.ROOT, format, i));
        }
        return values;
    }

    private static BigInteger rangeSize(String range) {
        String[] bounds = range.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new InvalidRangeException("has a host range [" + range + "] that is not [begin:end] or [begin:end:step]");
        }
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) {
            throw new InvalidRangeException("has a host range [" + range + "] without an end");
        }
        BigInteger step = BigInteger.ONE;
        if (bounds.length == 3) {
            if (!NUMBER.matcher(bounds[2]).matches() || new BigInteger(bounds[2]).signum() == 0) {
                throw new InvalidRangeException("has a host range [" + range + "] whose step is not a positive whole number");
            }
            step = new BigInteger(bounds[2]);
        }
        BigInteger first;
        BigInteger last;
        if (LETTER.matcher(begin).matches() && LETTER.matcher(end).matches()) {
            first = BigInteger.valueOf(LETTERS.indexOf(begin));
            last = BigInteger.valueOf(LETTERS.indexOf(end));
        } else if (NUMBER.matcher(begin).matches() && NUMBER.matcher(end).matches()) {
            if (begin.length() > 1 && begin.charAt(0) == '0' && begin.length() != end.length()) {
                throw new InvalidRangeException("has a host range [" + range
                        + "] whose begin has leading zeros but not the length of its end");
            }
            first = new BigInteger(begin);
            last = new BigInteger(end);
        } else {
            throw new InvalidRangeException("has a host range [" + range
                    + "] whose bounds are not both whole numbers or both single letters");
        }
        if (first.compareTo(last) > 0) {
            throw new InvalidRangeException("has a host range [" + range + "] that begins after its end");
        }
        return last.subtract(first).divide(step).add(BigInteger.ONE);
    }
}
