package io.charon.jobs.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Ansible host patterns, as a job's {@code limit} names the hosts of a stored inventory it runs on:
 * terms separated by {@code ,} (or {@code :}), each a host, a group (with its children's hosts;
 * {@code all} is every host, {@code ungrouped} those in no group) or a glob with {@code *} and
 * {@code ?}; a term prefixed with {@code &} intersects, one prefixed with {@code !} excludes.
 * As Ansible does, the plain terms are joined first, then the intersections applied, then the
 * exclusions; only intersections and exclusions start from {@code all}.
 *
 * <p>A subset of Ansible's syntax: regular expressions ({@code ~}), subscripts ({@code web[0]})
 * and limit files ({@code @file}) are refused, and the hosts are the inventory's alone (Ansible's
 * implicit {@code localhost} is not among them).
 */
public final class HostPattern {

    public static final int MAX_LENGTH = 1_000;
    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    private static final Pattern TERM = Pattern.compile("[A-Za-z0-9_.*?-]+");
    /** Without a comma, Ansible reads {@code name:digits} as one host with a port, not as two terms. */
    private static final Pattern HOST_AND_PORT = Pattern.compile("[A-Za-z0-9_.-]+:[0-9]+");

    private HostPattern() {
    }

    /** What is wrong with {@code pattern}, if anything; null or blank is no limit and fine. */
    public static Optional<String> problem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return Optional.empty();
        }
        if (pattern.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (pattern.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("must not contain spaces or control characters");
        }
        if (pattern.contains(",") && pattern.contains(":")) {
            return Optional.of("must separate its terms with ',' or with ':', not both");
        }
        if (HOST_AND_PORT.matcher(pattern).matches()) {
            return Optional.of("reads as a host and a port to Ansible; separate the terms with ','");
        }
        List<String> terms = terms(pattern);
        if (terms.isEmpty()) {
            return Optional.of("names no host or group");
        }
        for (String term : terms) {
            String body = body(term);
            String at = "term '" + term + "' ";
            if (body.isEmpty()) {
                return Optional.of("has '" + term + "' without a host, a group or a glob after it");
            } else if (body.startsWith("~")) {
                return Optional.of(at + "is a regular expression (~), which is not supported; use a glob with * or ?");
            } else if (body.startsWith("@")) {
                return Optional.of(at + "names a limit file (@), which is not supported");
            } else if (body.contains("[")) {
                return Optional.of(at + "has a subscript or range ([...]), which is not supported");
            } else if (body.startsWith("-")) {
                return Optional.of(at + "must not start with '-'");
            } else if (!TERM.matcher(body).matches()) {
                return Optional.of(at + "may hold only letters, digits, _ . - and the wildcards * and ?,"
                        + " after an optional & or !");
            }
        }
        return Optional.empty();
    }

    /**
     * The hosts of {@code document} that {@code pattern} selects, sorted and distinct; a null or
     * blank pattern selects every host.
     *
     * @throws IllegalArgumentException the pattern has a {@link #problem}
     */
    public static List<String> select(InventoryDocument document, String pattern) {
        Map<String, Set<String>> groups = members(document);
        if (pattern == null || pattern.isBlank()) {
            return List.copyOf(new TreeSet<>(groups.get(ALL)));
        }
        problem(pattern).ifPresent(problem -> {
            throw new IllegalArgumentException("limit " + problem);
        });
        Set<String> hosts = new LinkedHashSet<>();
        for (String term : ordered(terms(pattern))) {
            Set<String> matched = matches(body(term), groups);
            switch (term.charAt(0)) {
                case '&' -> hosts.retainAll(matched);
                case '!' -> hosts.removeAll(matched);
                default -> hosts.addAll(matched);
            }
        }
        return List.copyOf(new TreeSet<>(hosts));
    }

    /** As Ansible splits a pattern: on commas when there is one, otherwise on colons; empty terms dropped. */
    private static List<String> terms(String pattern) {
        String[] parts = pattern.split(pattern.contains(",") ? "," : ":", -1);
        List<String> terms = new ArrayList<>();
        for (String part : parts) {
            if (!part.isEmpty()) {
                terms.add(part);
            }
        }
        return terms;
    }

    private static String body(String term) {
        return term.startsWith("&") || term.startsWith("!") ? term.substring(1) : term;
    }

    /** Plain terms first (or {@code all} when there is none), then intersections, then exclusions. */
    private static List<String> ordered(List<String> terms) {
        List<String> plain = new ArrayList<>();
        List<String> intersections = new ArrayList<>();
        List<String> exclusions = new ArrayList<>();
        for (String term : terms) {
            (term.startsWith("&") ? intersections : term.startsWith("!") ? exclusions : plain).add(term);
        }
        if (plain.isEmpty()) {
            plain.add(ALL);
        }
        List<String> ordered = new ArrayList<>(plain);
        ordered.addAll(intersections);
        ordered.addAll(exclusions);
        return ordered;
    }

    /**
     * The hosts of every group the glob matches; and the hosts it matches by name when it matches
     * no group or is a glob (Ansible counts a '.' as making it one).
     */
    private static Set<String> matches(String glob, Map<String, Set<String>> groups) {
        Pattern regex = glob(glob);
        Set<String> hosts = new HashSet<>();
        boolean anyGroup = false;
        for (Map.Entry<String, Set<String>> group : groups.entrySet()) {
            if (regex.matcher(group.getKey()).matches()) {
                anyGroup = true;
                hosts.addAll(group.getValue());
            }
        }
        if (!anyGroup || glob.contains(".") || glob.contains("*") || glob.contains("?")) {
            groups.get(ALL).stream().filter(host -> regex.matcher(host).matches()).forEach(hosts::add);
        }
        return hosts;
    }

    /** A shell glob as a regular expression: {@code *} any text, {@code ?} any one character, the rest literal. */
    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * Every group's hosts, its children's included, and Ansible's own groups: {@code all} (every
     * host, also those a group lists without defining them, as Ansible takes them) and
     * {@code ungrouped} (the hosts in no group).
     */
    static Map<String, Set<String>> members(InventoryDocument document) {
        Map<String, Set<String>> members = new TreeMap<>();
        for (String group : document.groups().keySet()) {
            Set<String> hosts = new HashSet<>();
            collect(document, group, hosts, new HashSet<>());
            members.put(group, hosts);
        }
        Set<String> all = new HashSet<>(document.hosts().keySet());
        Set<String> grouped = new HashSet<>();
        document.groups().values().forEach(group -> grouped.addAll(group.hosts()));
        all.addAll(grouped);
        Set<String> ungrouped = new HashSet<>(all);
        ungrouped.removeAll(grouped);
        members.put(ALL, all);
        members.put(UNGROUPED, ungrouped);
        return members;
    }

    private static void collect(InventoryDocument document, String group, Collection<String> hosts, Set<String> seen) {
        InventoryDocument.Group definition = document.groups().get(group);
        if (definition == null || !seen.add(group)) {
            return; // a cycle or an undefined child: refused by validation, harmless here
        }
        hosts.addAll(definition.hosts());
        definition.children().forEach(child -> collect(document, child, hosts, seen));
    }
}
