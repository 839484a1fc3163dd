package io.charon.jobs.inventory;

import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.job.ConnectionValues;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.StoredNames;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.VariableNames;
import io.charon.jobs.security.Ownership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks an inventory as a request gives it and turns it into its {@link InventoryContent},
 * collecting every error at once, each naming its field ({@code hosts.web1.ansible_user},
 * {@code groups.web.children}). Connection variables are allowed here, where an operator
 * decides how hosts are reached; the other reserved names stay refused as in a job's variables.
 */
@ApplicationScoped
public class InventoryValidator {

    static final int MAX_HOSTS = 5_000;
    static final int MAX_GROUPS = 500;
    static final int MAX_VARIABLES = 200;
    static final int MAX_VALUE = 65_536;
    /** Beyond this many, further errors are summed up in one: the first ones say what is wrong. */
    static final int MAX_ERRORS = 100;

    /** Inventory, host and group names: no spaces, commas, colons or glob characters, no leading dash. */
    public static final Pattern NAME = StoredNames.NAME;
    /** Ansible's own groups: every host, and the hosts in no other group. */
    static final Set<String> IMPLICIT_GROUPS = Set.of(HostPattern.ALL, HostPattern.UNGROUPED);
    /** How Ansible reaches and runs on a host: allowed in an inventory although reserved elsewhere. */
    public static final Set<String> CONNECTION_VARIABLES = Set.of("ansible_host", "ansible_port", "ansible_user",
            "ansible_become", "ansible_become_user", "ansible_python_interpreter");
    private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "on", "off", "1", "0");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private final Set<String> allowedVariables;

    @Inject
    public InventoryValidator(AnsibleConfig ansible) {
        this(ansible.allowedVariables().orElse(Set.of()));
    }

    InventoryValidator(Set<String> allowedVariables) {
        this.allowedVariables = Set.copyOf(allowedVariables);
    }

    /** The inventory's name, as a create gives it. */
    public String name(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("name", "is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", StoredNames.RULE);
        }
        return name;
    }

    /**
     * The content of {@code change}, its name left aside.
     *
     * @throws InvalidInputException with every error found
     */
    public InventoryContent content(InventoryChange change) {
        Errors errors = new Errors();
        Map<String, Map<String, String>> hosts = hosts(errors, change.hosts());
        Map<String, InventoryDocument.Group> groups = groups(errors, change.groups(), hosts.keySet());
        Map<String, String> vars = variables(errors, "vars", change.vars());
        HostKeyPolicy policy = change.hostKeyPolicy() == null ? HostKeyPolicy.STRICT
                : HostKeyPolicy.fromWireName(change.hostKeyPolicy()).orElseGet(() -> {
                    errors.add("hostKeyPolicy", "must be one of strict, accept-new, off");
                    return null;
                });
        String knownHosts = knownHosts(errors, change.knownHosts());
        List<String> users = users(errors, change.users());
        errors.throwIfAny();
        return new InventoryContent(new InventoryDocument(hosts, groups, vars), policy, knownHosts, users);
    }

    private Map<String, Map<String, String>> hosts(Errors errors, Map<String, Map<String, String>> hosts) {
        if (hosts == null) {
            return Map.of();
        }
        if (hosts.size() > MAX_HOSTS) {
            errors.add("hosts", "must hold at most " + MAX_HOSTS + " hosts");
            return Map.of();
        }
        Map<String, Map<String, String>> valid = new TreeMap<>();
        hosts.forEach((host, vars) -> {
            String at = "hosts." + printable(host);
            if (!NAME.matcher(host).matches()) {
                errors.add(at, "host name: " + StoredNames.RULE);
            } else if (IMPLICIT_GROUPS.contains(host)) {
                errors.add(at, "is the name of one of Ansible's own groups (all, ungrouped)");
            }
            valid.put(host, variables(errors, at, vars));
        });
        return valid;
    }

    private Map<String, InventoryDocument.Group> groups(Errors errors, Map<String, InventoryDocument.Group> groups,
                                                       Set<String> hosts) {
        if (groups == null) {
            return Map.of();
        }
        if (groups.size() > MAX_GROUPS) {
            errors.add("groups", "must hold at most " + MAX_GROUPS + " groups");
            return Map.of();
        }
        Map<String, InventoryDocument.Group> valid = new TreeMap<>();
        groups.forEach((name, given) -> {
            InventoryDocument.Group group = given == null ? new InventoryDocument.Group(null, null, null) : given;
            String at = "groups." + printable(name);
            if (!NAME.matcher(name).matches()) {
                errors.add(at, "group name: " + StoredNames.RULE);
            } else if (IMPLICIT_GROUPS.contains(name)) {
                errors.add(at, "is one of Ansible's own groups (all, ungrouped), which hold their hosts by themselves");
            } else if (hosts.contains(name)) {
                errors.add(at, "is also the name of a host; Ansible could not tell them apart in a limit");
            }
            if (group.hosts().size() > MAX_HOSTS) {
                errors.add(at + ".hosts", "must list at most " + MAX_HOSTS + " hosts");
            } else {
                List<String> missing = group.hosts().stream().filter(host -> !hosts.contains(host)).distinct().toList();
                if (!missing.isEmpty()) {
                    errors.add(at + ".hosts", "lists hosts that are not in hosts: " + listed(missing));
                }
            }
            if (group.children().size() > MAX_GROUPS) {
                errors.add(at + ".children", "must list at most " + MAX_GROUPS + " groups");
            } else {
                List<String> missing = group.children().stream().filter(child -> !groups.containsKey(child))
                        .distinct().toList();
                if (!missing.isEmpty()) {
                    errors.add(at + ".children", "lists groups that are not in groups: " + listed(missing));
                }
            }
            valid.put(name, new InventoryDocument.Group(group.hosts().stream().distinct().toList(),
                    group.children().stream().distinct().toList(), variables(errors, at + ".vars", group.vars())));
        });
        cycle(valid).ifPresent(cycle -> errors.add("groups." + printable(cycle.get(0)) + ".children",
                "form a cycle: " + String.join(" -> ", cycle)));
        return valid;
    }

    /** The first cycle among the groups' children, as the path that closes it ({@code a -> b -> a}). */
    static Optional<List<String>> cycle(Map<String, InventoryDocument.Group> groups) {
        Map<String, Integer> state = new HashMap<>(); // 1: on the current path, 2: done
        for (String start : groups.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> found = visit(groups, start, state, path);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> visit(Map<String, InventoryDocument.Group> groups, String group,
                                                          Map<String, Integer> state, List<String> path) {
        Integer seen = state.get(group);
        if (seen != null && seen == 2) {
            return Optional.empty();
        }
        if (seen != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(group), path.size()));
            cycle.add(group);
            return Optional.of(cycle);
        }
        InventoryDocument.Group definition = groups.get(group);
        if (definition == null) {
            return Optional.empty();
        }
        state.put(group, 1);
        path.add(group);
        for (String child : definition.children()) {
            Optional<List<String>> found = visit(groups, child, state, path);
            if (found.isPresent()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(group, 2);
        return Optional.empty();
    }

    private Map<String, String> variables(Errors errors, String field, Map<String, String> vars) {
        if (vars == null) {
            return Map.of();
        }
        if (vars.size() > MAX_VARIABLES) {
            errors.add(field, "must hold at most " + MAX_VARIABLES + " variables");
            return Map.of();
        }
        vars.forEach((name, value) -> {
            String at = field + "." + printable(name);
            if (!VariableNames.IDENTIFIER.matcher(name).matches()) {
                errors.add(at, "name must be an identifier (letters, digits, _)");
            } else if (VariableNames.isReserved(name) && !CONNECTION_VARIABLES.contains(name)
                    && !allowedVariables.contains(name)) {
                errors.add(at, "is reserved: it would change how Ansible connects or runs; an inventory may set "
                        + String.join(", ", new TreeSet<>(CONNECTION_VARIABLES))
                        + " and those listed in charon.ansible.allowed-variables");
            } else if (value == null) {
                errors.add(at, "must be a string");
            } else if (value.length() > MAX_VALUE) {
                errors.add(at, "must be at most " + MAX_VALUE + " characters");
            } else if (value.indexOf('\0') >= 0) {
                errors.add(at, "must not contain NUL characters");
            } else if (name.equals("ansible_host") && !ConnectionValues.ADDRESS.matcher(value).matches()) {
                errors.add(at, "must be a host name, an IPv4 or an IPv6 address");
            } else if ((name.equals("ansible_user") || name.equals("ansible_become_user"))
                    && !ConnectionValues.REMOTE_USER.matcher(value).matches()) {
                errors.add(at, "must be a user name: letters, digits and _ . @ $ -, not starting with . @ $ or -");
            } else if (name.equals("ansible_port") && !port(value)) {
                errors.add(at, "must be a port number from 1 to 65535");
            } else if (name.equals("ansible_become") && !BOOLEANS.contains(value.toLowerCase(Locale.ROOT))) {
                errors.add(at, "must be true or false");
            }
        });
        return vars;
    }

    private static boolean port(String value) {
        return PORT.matcher(value).matches() && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= 65_535;
    }

    private static String knownHosts(Errors errors, String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > KnownHosts.MAX_BYTES) {
            errors.add("knownHosts", "must be at most " + KnownHosts.MAX_BYTES + " bytes");
            return "";
        }
        List<String> lines = KnownHosts.lines(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (KnownHosts.isEntry(line) || line.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
                int number = i + 1;
                KnownHosts.problem(line).ifPresent(problem -> errors.add("knownHosts", "line " + number + " " + problem));
            }
        }
        return KnownHosts.normalized(text);
    }

    private static List<String> users(Errors errors, List<String> users) {
        List<FieldError> found = new ArrayList<>();
        List<String> valid = Ownership.sharedWith(users, found);
        found.forEach(error -> errors.add(error.field(), error.reason()));
        return valid;
    }

    private static String listed(List<String> names) {
        List<String> shown = names.stream().limit(10).map(InventoryValidator::printable).toList();
        return String.join(", ", shown) + (names.size() > shown.size() ? " and " + (names.size() - shown.size())
                + " more" : "");
    }

    /** A name as an error may quote it: bounded, control characters replaced. */
    private static String printable(String name) {
        String cut = name.length() > 130 ? name.substring(0, 130) + "..." : name;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** The errors found so far; past {@link #MAX_ERRORS}, only counted. */
    private static final class Errors {
        private final List<FieldError> errors = new ArrayList<>();
        private int more;

        void add(String field, String reason) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(new FieldError(field, reason));
            } else {
                more++;
            }
        }

        void throwIfAny() {
            if (more > 0) {
                errors.add(new FieldError("body", more + " more errors not listed"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
        }
    }
}
