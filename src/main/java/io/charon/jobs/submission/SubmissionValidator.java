package io.charon.jobs.submission;

import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.credential.CredentialKind;
import io.charon.jobs.inventory.HostPattern;
import io.charon.jobs.execution.PlaybookLocator;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.HostLock;
import io.charon.jobs.job.HostRanges;
import io.charon.jobs.job.InstantRange;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobMode;
import io.charon.jobs.job.JobSpec;
import io.charon.jobs.job.StoredNames;
import io.charon.jobs.job.JobSubmission;
import io.charon.jobs.job.JobType;
import io.charon.jobs.job.Priority;
import io.charon.jobs.job.RetryOn;
import io.charon.jobs.job.RetryScope;
import io.charon.jobs.job.VariableNames;
import io.charon.jobs.security.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a {@link JobSubmission} into a {@link JobSpec}, collecting every field error at once.
 * Whether dependencies exist is checked by {@link JobSubmitter} inside the submit transaction.
 *
 * <p>Over 300 lines: one rule a field, fourteen fields, kept together so that every limit of a
 * submission reads in one place.
 */
@ApplicationScoped
public class SubmissionValidator {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 4_000;
    static final int MAX_HOSTS = 1_000;
    static final int MAX_TAGS = 50;
    static final int MAX_TAG = 100;
    static final int MAX_VARIABLES = 200;
    static final int MAX_VARIABLE_VALUE = 65_536;
    static final int MAX_DEPENDENCIES = 100;
    static final int MAX_RETRIES = 100;
    static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);
    /** A year: a job that could not start within one is not waited for any longer. */
    static final String MAX_START_DEADLINE_TEXT = "P365D";
    static final Duration MAX_START_DEADLINE = Duration.parse(MAX_START_DEADLINE_TEXT);

    /**
     * Host names, IPv4/IPv6 addresses and inventory patterns such as {@code web[01:20].example.com};
     * no spaces, commas, {@code =} or leading dash (an option to Ansible), and no leading {@code [}
     * (a section header of the inventory file).
     */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:*][A-Za-z0-9_.:\\[\\]*-]{0,252}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:/=-]+");
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final JobsConfig config;
    private final PlaybookLocator playbooks;
    private final SecretBox secrets;
    private final Set<String> allowedVariables;

    public SubmissionValidator(JobsConfig config, PlaybookLocator playbooks, SecretBox secrets, AnsibleConfig ansible) {
        this.config = config;
        this.playbooks = playbooks;
        this.secrets = secrets;
        this.allowedVariables = ansible.allowedVariables().orElse(Set.of());
    }

    public JobSpec validate(JobSubmission submission) {
        if (submission == null) {
            throw new InvalidInputException("body", "a JSON object describing the job is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = text(errors, "name", submission.name(), MAX_NAME, true);
        JobType type = submission.type() == null ? JobType.ANSIBLE
                : JobType.fromWireName(submission.type()).orElseGet(() -> {
                    errors.add(new FieldError("type", "must be one of ansible, provisioning"));
                    return null;
                });
        Priority priority = priority(errors, submission.priority());
        String playbook = playbook(errors, submission.playbook());
        String inventoryRef = submission.inventoryRef();
        List<String> inventory = List.of();
        if (inventoryRef == null) {
            inventory = inventory(errors, submission.inventory());
        } else if (submission.inventory() != null) {
            errors.add(new FieldError("inventoryRef", "names a stored inventory; give either it or inventory, not both"));
        } else if (!StoredNames.NAME.matcher(inventoryRef).matches()) {
            errors.add(new FieldError("inventoryRef", "must be the name of a stored inventory"));
        }
        String limit = limit(errors, inventoryRef, submission.limit());
        List<String> credentials = credentials(errors, submission.credentials());
        Map<String, String> variables = variables(errors, "variables", submission.variables());
        Map<String, String> secretValues = variables(errors, "secretVariables", submission.secretVariables());
        secretValues.keySet().stream().filter(variables::containsKey).sorted().forEach(both ->
                errors.add(new FieldError("secretVariables." + both, "is also set in variables")));
        if (variables.size() + secretValues.size() > MAX_VARIABLES) {
            errors.add(new FieldError("secretVariables", "variables and secretVariables must hold at most "
                    + MAX_VARIABLES + " entries together"));
        }
        if (!secretValues.isEmpty() && !secrets.available()) {
            errors.add(new FieldError("secretVariables",
                    "cannot be accepted: no encryption key is configured (charon.security.secret-key)"));
        }
        List<String> tags = tags(errors, submission.tags());
        String description = text(errors, "description", submission.description(), MAX_DESCRIPTION, false);
        Instant scheduledAt = parse(errors, "scheduledAt", submission.scheduledAt(),
                "an ISO-8601 instant such as 2030-01-01T10:00:00Z", SubmissionValidator::instant);
        if (scheduledAt != null && !InstantRange.contains(scheduledAt)) {
            errors.add(new FieldError("scheduledAt", "must be " + InstantRange.TEXT));
        }
        Duration timeout = timeLimit(errors, "timeout", submission.timeout(), config.maxTimeout(), null);
        Duration startDeadline = timeLimit(errors, "startDeadline", submission.startDeadline(), MAX_START_DEADLINE,
                MAX_START_DEADLINE_TEXT);
        if (startDeadline != null && scheduledAt != null && InstantRange.contains(scheduledAt)
                && !InstantRange.contains(scheduledAt.plus(startDeadline))) {
            errors.add(new FieldError("startDeadline", "counted from scheduledAt, must end by " + InstantRange.LATEST));
        }
        Duration idleTimeout = timeLimit(errors, "idleTimeout", submission.idleTimeout(), config.maxTimeout(), null);
        Duration retryDelay = parse(errors, "retryDelay", submission.retryDelay(),
                "an ISO-8601 duration such as PT30S", Duration::parse);
        if (retryDelay != null && retryDelay.isNegative()) {
            errors.add(new FieldError("retryDelay", "must not be negative"));
        } else if (retryDelay != null && retryDelay.compareTo(config.maxRetryDelay()) > 0) {
            // no retry waits longer than the cap, so a longer first delay would only be stored to be ignored
            errors.add(new FieldError("retryDelay", "must not exceed " + config.maxRetryDelay()
                    + " (charon.jobs.max-retry-delay)"));
        }
        Integer maxRetries = submission.maxRetries();
        if (maxRetries != null && (maxRetries < 0 || maxRetries > MAX_RETRIES)) {
            errors.add(new FieldError("maxRetries", "must be between 0 and " + MAX_RETRIES));
        }
        List<String> dependsOn = dependencies(errors, submission.dependsOn());
        String queue = submission.queue();
        if (queue != null && !StoredNames.NAME.matcher(queue).matches()) {
            errors.add(new FieldError("queue", StoredNames.RULE));
        }
        HostLock hostLock = submission.hostLock() == null ? HostLock.EXCLUSIVE
                : HostLock.fromWireName(submission.hostLock()).orElseGet(() -> {
                    errors.add(new FieldError("hostLock", "must be one of " + HostLock.WIRE_NAMES));
                    return null;
                });
        RetryScope retryScope = submission.retryScope() == null ? RetryScope.ALL
                : RetryScope.fromWireName(submission.retryScope()).orElseGet(() -> {
                    errors.add(new FieldError("retryScope", "must be one of all, failed-hosts"));
                    return null;
                });
        Set<RetryOn> retryOn = retryOn(errors, submission.retryOn());
        JobMode mode = submission.mode() == null ? JobMode.RUN
                : JobMode.fromWireName(submission.mode()).orElseGet(() -> {
                    errors.add(new FieldError("mode", "must be one of " + JobMode.WIRE_NAMES));
                    return null;
                });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new JobSpec(name, type, priority, playbook, inventory, variables, tags, description, scheduledAt,
                timeout == null ? config.defaultTimeout() : timeout,
                dependsOn,
                maxRetries == null ? config.defaultMaxRetries() : maxRetries,
                retryDelay == null ? config.defaultRetryDelay() : retryDelay,
                secretValues.isEmpty() ? null : secrets.seal(secretValues), inventoryRef, null, limit, credentials,
                queue, hostLock, retryScope, retryOn, startDeadline, idleTimeout, null, null, mode);
    }

    /** The kinds of failed run to retry: at least one, each once; all of them when not given. */
    private static Set<RetryOn> retryOn(List<FieldError> errors, List<String> names) {
        if (names == null) {
            return RetryOn.EVERY;
        }
        String kinds = "failed, unreachable, timeout";
        if (names.isEmpty()) {
            errors.add(new FieldError("retryOn", "must name at least one of " + kinds));
            return Set.of();
        }
        Set<RetryOn> retryOn = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String at = "retryOn[" + i + "]";
            RetryOn kind = RetryOn.fromWireName(names.get(i)).orElse(null);
            if (kind == null) {
                errors.add(new FieldError(at, "must be one of " + kinds));
            } else if (!retryOn.add(kind)) {
                errors.add(new FieldError(at, "names " + kind.wireName() + " again"));
            }
        }
        return retryOn;
    }

    /**
     * A time limit: an ISO-8601 duration of at least {@link #SHORTEST_TIMEOUT} (durations are
     * stored in whole milliseconds: a shorter one would be stored as none at all) and at most
     * {@code max}, named {@code maxText} in the error when given.
     */
    private static Duration timeLimit(List<FieldError> errors, String field, String text, Duration max,
                                      String maxText) {
        Duration value = parse(errors, field, text, "an ISO-8601 duration such as PT30M", Duration::parse);
        if (value != null && value.compareTo(SHORTEST_TIMEOUT) < 0) {
            errors.add(new FieldError(field, "must be at least " + SHORTEST_TIMEOUT));
        } else if (value != null && value.compareTo(max) > 0) {
            errors.add(new FieldError(field, "must not exceed " + (maxText == null ? max : maxText)));
        }
        return value;
    }

    /** An Ansible host pattern narrowing a stored inventory; which hosts it selects is known at submission. */
    private static String limit(List<FieldError> errors, String inventoryRef, String limit) {
        if (limit == null) {
            return null;
        }
        if (inventoryRef == null) {
            errors.add(new FieldError("limit", "narrows a stored inventory: it needs inventoryRef"));
            return null;
        }
        HostPattern.problem(limit).ifPresent(problem -> errors.add(new FieldError("limit", problem)));
        return limit;
    }

    /** Names of stored credentials; whether they exist, may be used and differ in kind is checked when stored. */
    private static List<String> credentials(List<FieldError> errors, List<String> names) {
        if (names == null) {
            return List.of();
        }
        if (names.size() > CredentialKind.values().length) {
            errors.add(new FieldError("credentials", "must name at most one credential of each kind (ssh, become, vault)"));
            return List.of();
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null || !StoredNames.NAME.matcher(names.get(i)).matches()) {
                errors.add(new FieldError("credentials[" + i + "]", "must be the name of a stored credential"));
            }
        }
        return List.copyOf(new LinkedHashSet<>(names.stream().filter(name -> name != null).toList()));
    }

    private static String text(List<FieldError> errors, String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return value == null || value.isBlank() ? null : value;
        }
        if (value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            errors.add(new FieldError(field, "must not contain control characters"));
        }
        return value;
    }

    private static Priority priority(List<FieldError> errors, JsonNode node) {
        if (node == null || node.isNull()) {
            return Priority.NORMAL;
        }
        if (node.isTextual() || node.isIntegralNumber()) {
            var parsed = Priority.parse(node.asText());
            if (parsed.isPresent()) {
                return parsed.get();
            }
        }
        errors.add(new FieldError("priority", "must be one of low (1), normal (5), high (10), critical (15)"));
        return null;
    }

    private String playbook(List<FieldError> errors, String playbook) {
        if (playbook == null || playbook.isBlank()) {
            errors.add(new FieldError("playbook", "is required"));
            return null;
        }
        try {
            playbooks.resolve(playbook);
        } catch (PlaybookLocator.UnusablePlaybookException e) {
            errors.add(new FieldError("playbook", e.getMessage()));
        }
        return playbook;
    }

    private static List<String> inventory(List<FieldError> errors, List<String> hosts) {
        if (hosts == null || hosts.isEmpty()) {
            errors.add(new FieldError("inventory", "must list at least one host"));
            return List.of();
        }
        if (hosts.size() > MAX_HOSTS) {
            errors.add(new FieldError("inventory", "must list at most " + MAX_HOSTS + " hosts"));
            return List.of();
        }
        // a range such as web[1:20] counts as the hosts it stands for, counted without expanding it
        BigInteger limit = BigInteger.valueOf(MAX_HOSTS);
        BigInteger total = BigInteger.ZERO;
        boolean counted = true;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            String at = "inventory[" + i + "]";
            if (host == null || !HOST.matcher(host).matches()) {
                errors.add(new FieldError(at,
                        "must be a host name, an IP address or a pattern, without spaces, commas or a leading dash"));
                counted = false;
                continue;
            }
            if (!seen.add(host)) {
                continue; // listed twice, written once
            }
            try {
                BigInteger expanded = HostRanges.count(host);
                if (expanded.compareTo(limit) > 0) {
                    errors.add(new FieldError(at, "stands for " + expanded + " hosts once its ranges are expanded;"
                            + " an inventory may hold at most " + MAX_HOSTS));
                    counted = false;
                } else {
                    total = total.add(expanded);
                }
            } catch (HostRanges.InvalidRangeException e) {
                errors.add(new FieldError(at, e.getMessage()));
                counted = false;
            }
        }
        if (counted && total.compareTo(limit) > 0) {
            errors.add(new FieldError("inventory", "stands for " + total + " hosts once its ranges are expanded;"
                    + " an inventory may hold at most " + MAX_HOSTS));
        }
        return List.copyOf(new LinkedHashSet<>(hosts.stream().filter(h -> h != null).toList()));
    }

    /** Variables (or secret variables) by identifier, none of them reserved unless allowed by configuration. */
    private Map<String, String> variables(List<FieldError> errors, String field, Map<String, String> variables) {
        if (variables == null) {
            return Map.of();
        }
        if (variables.size() > MAX_VARIABLES) {
            errors.add(new FieldError(field, "must hold at most " + MAX_VARIABLES + " entries"));
            return Map.of();
        }
        variables.forEach((key, value) -> {
            String at = field + "." + printable(key);
            if (!VariableNames.IDENTIFIER.matcher(key).matches()) {
                errors.add(new FieldError(at, "name must be an identifier (letters, digits, _)"));
            } else if (VariableNames.isReserved(key) && !allowedVariables.contains(key)) {
                errors.add(new FieldError(at, "is reserved: it would change how Ansible connects or runs"
                        + " (allowed only when listed in charon.ansible.allowed-variables)"));
            } else if (value == null) {
                errors.add(new FieldError(at, "must be a string"));
            } else if (value.length() > MAX_VARIABLE_VALUE) {
                errors.add(new FieldError(at, "must be at most " + MAX_VARIABLE_VALUE + " characters"));
            }
        });
        return variables;
    }

    /** A name as an error may quote it: bounded, control characters replaced. */
    private static String printable(String name) {
        String cut = name.length() > 130 ? name.substring(0, 130) + "..." : name;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static List<String> tags(List<FieldError> errors, List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > MAX_TAGS) {
            errors.add(new FieldError("tags", "must hold at most " + MAX_TAGS + " tags"));
            return List.of();
        }
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag == null || tag.length() > MAX_TAG || !TAG.matcher(tag).matches()) {
                errors.add(new FieldError("tags[" + i + "]",
                        "must be 1 to " + MAX_TAG + " characters of letters, digits and _ . : / = -"));
            }
        }
        return List.copyOf(new LinkedHashSet<>(tags.stream().filter(t -> t != null).toList()));
    }

    private static List<String> dependencies(List<FieldError> errors, List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        if (ids.size() > MAX_DEPENDENCIES) {
            errors.add(new FieldError("dependsOn", "must name at most " + MAX_DEPENDENCIES + " jobs"));
            return List.of();
        }
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null || !JOB_ID.matcher(ids.get(i)).matches()) {
                errors.add(new FieldError("dependsOn[" + i + "]", "must be a job id"));
            }
        }
        return List.copyOf(new LinkedHashSet<>(ids.stream().filter(id -> id != null).toList()));
    }

    private static <T> T parse(List<FieldError> errors, String field, String text, String expected,
                               Function<String, T> parser) {
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            errors.add(new FieldError(field, "must be " + expected));
            return null;
        }
    }

    private static Instant instant(String text) {
        return OffsetDateTime.parse(text).toInstant();
    }
}
