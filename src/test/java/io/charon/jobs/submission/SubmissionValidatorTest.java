package io.charon.jobs.submission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.config.SecurityConfig;
import io.charon.jobs.execution.PlaybookLocator;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobSpec;
import io.charon.jobs.job.JobType;
import io.charon.jobs.job.Priority;
import io.charon.jobs.security.SecretBox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules of a submission, without the application: each limit at its edge (the last value
 * accepted, the first refused), names, ranges and the configuration that widens them. The
 * submissions are written as JSON and read by {@link SubmissionParser}, as the API reads them.
 */
class SubmissionValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB_ID = "0a1b2c3d-0000-4000-8000-00000000000f";

    @TempDir
    static Path playbookDir;

    private static SubmissionValidator validator;
    private static SubmissionValidator withoutSecretKey;
    private static SubmissionValidator allowingAnsibleUser;
    private final SubmissionParser parser = new SubmissionParser();

    @BeforeAll
    static void validators() throws IOException {
        Files.writeString(playbookDir.resolve("site.yml"), "- hosts: all\n");
        Files.createDirectories(playbookDir.resolve("nested"));
        Files.writeString(playbookDir.resolve("nested/play.yaml"), "- hosts: all\n");
        Files.writeString(playbookDir.resolve("notes.txt"), "not a playbook\n");
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        validator = validator(Optional.of(key), Optional.empty());
        withoutSecretKey = validator(Optional.empty(), Optional.empty());
        allowingAnsibleUser = validator(Optional.of(key), Optional.of(Set.of("ansible_user")));
    }

    private static SubmissionValidator validator(Optional<String> secretKey, Optional<Set<String>> allowed) {
        JobsConfig jobs = config(JobsConfig.class, Map.of("maxTimeout", Duration.ofHours(24),
                "maxRetryDelay", Duration.ofMinutes(10), "defaultTimeout", Duration.ofHours(1),
                "defaultMaxRetries", 0, "defaultRetryDelay", Duration.ofSeconds(10)));
        AnsibleConfig ansible = config(AnsibleConfig.class,
                Map.of("playbookDir", playbookDir, "allowedVariables", allowed));
        SecurityConfig security = config(SecurityConfig.class, Map.of("secretKey", secretKey));
        return new SubmissionValidator(jobs, new PlaybookLocator(ansible), new SecretBox(security), ansible);
    }

    /** A configuration interface answering the given methods only. */
    private static <T> T config(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return answers.get(method.getName());
        }));
    }

    private static Map<String, Object> valid() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "deploy");
        body.put("playbook", "site.yml");
        body.put("inventory", List.of("web1"));
        return body;
    }

    private JobSpec validate(SubmissionValidator with, Map<String, Object> body) {
        try {
            return with.validate(parser.parse(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> refusedFields(SubmissionValidator with, Map<String, Object> body) {
        try {
            validate(with, body);
            return List.of();
        } catch (InvalidInputException e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
    }

    private static String repeat(int length) {
        return "x".repeat(length);
    }

    private static List<String> numbered(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
    }

    private static Map<String, String> variables(String prefix, int count) {
        Map<String, String> variables = new HashMap<>();
        numbered(prefix, count).forEach(name -> variables.put(name, "v"));
        return variables;
    }

    private static List<String> jobIds(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> String.format("0a1b2c3d-0000-4000-8000-%012x", i)).toList();
    }

    private static Arguments change(String label, Consumer<Map<String, Object>> change) {
        return Arguments.of(label, change);
    }

    private static Map<String, String> one(String name, String value) {
        Map<String, String> map = new HashMap<>();
        map.put(name, value);
        return map;
    }

    private static List<String> list(String... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    /** Submissions at the edge of a rule that must still be accepted. */
    static Stream<Arguments> accepted() {
        return Stream.of(
                change("name of 200 characters", b -> b.put("name", repeat(200))),
                change("name with a tab and a new line", b -> b.put("name", "two\tlines\n")),
                change("description of 4000 characters", b -> b.put("description", repeat(4000))),
                change("playbook in a subdirectory", b -> b.put("playbook", "nested/play.yaml")),
                change("inventory of 1000 hosts", b -> b.put("inventory", numbered("h", 1000))),
                change("a range of 1000 hosts", b -> b.put("inventory", List.of("web[1:1000]"))),
                change("ranges of 1000 hosts together", b -> b.put("inventory", List.of("a[1:500]", "b[001:500]"))),
                change("a range of 1000 hosts listed twice", b -> b.put("inventory", List.of("h[1:1000]", "h[1:1000]"))),
                change("host patterns and addresses", b -> b.put("inventory",
                        List.of("web[01:20].example.com", "db-[a:f]", "192.168.0.1", "::1", "fe80::1", "*", "all",
                                "under_score", "r[1:4]-[a:c]"))),
                change("host name of 253 characters", b -> b.put("inventory", List.of(repeat(253)))),
                change("priority 1 as a number", b -> b.put("priority", 1)),
                change("priority 15 as text", b -> b.put("priority", "15")),
                change("priority CRITICAL", b -> b.put("priority", "CRITICAL")),
                change("type provisioning", b -> b.put("type", "provisioning")),
                change("50 tags", b -> b.put("tags", numbered("t", 50))),
                change("tag of 100 characters", b -> b.put("tags", List.of(repeat(100)))),
                change("tag of every allowed character", b -> b.put("tags", List.of("env=prod/eu:1_a.b-c"))),
                change("200 variables", b -> b.put("variables", variables("v", 200))),
                change("100 variables and 100 secret variables",
                        b -> { b.put("variables", variables("v", 100)); b.put("secretVariables", variables("s", 100)); }),
                change("variable name of 128 characters", b -> b.put("variables", Map.of("a" + repeat(127), "v"))),
                change("variable value of 65536 characters", b -> b.put("variables", Map.of("big", repeat(65_536)))),
                change("names like reserved ones", b -> b.put("variables",
                        Map.of("ansible", "v", "my_ansible_user", "v", "hostvars2", "v", "group", "v"))),
                change("the first instant", b -> b.put("scheduledAt", "1970-01-01T00:00:00Z")),
                change("the last instant", b -> b.put("scheduledAt", "9999-12-31T23:59:59Z")),
                change("the last instant with an offset", b -> b.put("scheduledAt", "9999-12-31T23:59:59+01:00")),
                change("the first instant with an offset", b -> b.put("scheduledAt", "1969-12-31T23:00:00-01:00")),
                change("the shortest timeout", b -> b.put("timeout", "PT0.001S")),
                change("the longest timeout", b -> b.put("timeout", "P1D")),
                change("no retry delay", b -> b.put("retryDelay", "PT0S")),
                change("the longest retry delay", b -> b.put("retryDelay", "PT10M")),
                change("no retries", b -> b.put("maxRetries", 0)),
                change("100 retries", b -> b.put("maxRetries", 100)),
                change("100 dependencies", b -> b.put("dependsOn", jobIds(100))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void theLastValueOfEachRuleIsAccepted(String label, Consumer<Map<String, Object>> change) {
        Map<String, Object> body = valid();
        change.accept(body);
        assertThat(refusedFields(validator, body)).isEmpty();
    }

    /** The first value past each rule, and the field the error must name. */
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("name", "201 characters", put("name", repeat(201))),
                Arguments.of("name", "a carriage return", put("name", "a\rb")),
                Arguments.of("name", "a NUL", put("name", "a\u0000b")),
                Arguments.of("name", "DEL", put("name", "a\u007fb")),
                Arguments.of("name", "only blanks", put("name", " \t ")),
                Arguments.of("description", "4001 characters", put("description", repeat(4001))),
                Arguments.of("description", "a bell", put("description", "ring\u0007")),
                Arguments.of("type", "upper case", put("type", "ANSIBLE")),
                Arguments.of("priority", "a number between the levels", put("priority", 7)),
                Arguments.of("priority", "a fraction", put("priority", 5.0)),
                Arguments.of("priority", "zero", put("priority", 0)),
                Arguments.of("priority", "a list", put("priority", List.of("high"))),
                Arguments.of("playbook", "blank", put("playbook", " ")),
                Arguments.of("playbook", "not YAML", put("playbook", "notes.txt")),
                Arguments.of("playbook", "a directory", put("playbook", "nested")),
                Arguments.of("playbook", "NUL", put("playbook", "site.yml\u0000.yml")),
                Arguments.of("playbook", "..", put("playbook", "nested/../site.yml")),
                Arguments.of("inventory", "1001 hosts", put("inventory", numbered("h", 1001))),
                Arguments.of("inventory", "ranges of 1001 hosts together",
                        put("inventory", List.of("a[1:500]", "b[1:500]", "c"))),
                Arguments.of("inventory[0]", "a range of 1001 hosts", put("inventory", List.of("h[1:1001]"))),
                Arguments.of("inventory[0]", "254 characters", put("inventory", List.of(repeat(254)))),
                Arguments.of("inventory[0]", "an inventory section", put("inventory", List.of("[web]"))),
                Arguments.of("inventory[0]", "an assignment", put("inventory", List.of("h ansible_host=x"))),
                Arguments.of("inventory[0]", "an equals sign", put("inventory", List.of("a=b"))),
                Arguments.of("inventory[0]", "empty", put("inventory", List.of(""))),
                Arguments.of("inventory[1]", "null", put("inventory", list("web1", null))),
                Arguments.of("inventory[0]", "a slash", put("inventory", List.of("a/b"))),
                Arguments.of("tags", "51 tags", put("tags", numbered("t", 51))),
                Arguments.of("tags[0]", "101 characters", put("tags", List.of(repeat(101)))),
                Arguments.of("tags[0]", "empty", put("tags", List.of(""))),
                Arguments.of("tags[1]", "null", put("tags", list("a", null))),
                Arguments.of("tags[0]", "not ASCII", put("tags", List.of("café"))),
                Arguments.of("variables", "201 variables", put("variables", variables("v", 201))),
                Arguments.of("secretVariables", "201 variables together", (Consumer<Map<String, Object>>) b -> {
                    b.put("variables", variables("v", 100));
                    b.put("secretVariables", variables("s", 101));
                }),
                Arguments.of("variables.a" + repeat(128), "a name of 129 characters",
                        put("variables", Map.of("a" + repeat(128), "v"))),
                Arguments.of("variables.1st", "a leading digit", put("variables", Map.of("1st", "v"))),
                Arguments.of("variables.", "an empty name", put("variables", Map.of("", "v"))),
                Arguments.of("variables.big", "a value of 65537 characters",
                        put("variables", Map.of("big", repeat(65_537)))),
                Arguments.of("variables.x", "a null value", put("variables", one("x", null))),
                Arguments.of("variables.ansible_user", "ansible_*", put("variables", Map.of("ansible_user", "root"))),
                Arguments.of("variables.ANSIBLE_BECOME", "ANSIBLE_* in upper case",
                        put("variables", Map.of("ANSIBLE_BECOME", "yes"))),
                Arguments.of("variables._private", "a leading underscore", put("variables", Map.of("_private", "v"))),
                Arguments.of("variables.hostvars", "a magic variable", put("variables", Map.of("hostvars", "v"))),
                Arguments.of("variables.Inventory_Hostname", "a magic variable in mixed case",
                        put("variables", Map.of("Inventory_Hostname", "v"))),
                Arguments.of("variables.omit", "omit", put("variables", Map.of("omit", "v"))),
                Arguments.of("secretVariables.ansible_password", "a reserved secret",
                        put("secretVariables", Map.of("ansible_password", "v"))),
                Arguments.of("secretVariables.token", "a secret also set in variables",
                        (Consumer<Map<String, Object>>) b -> {
                            b.put("variables", Map.of("token", "a"));
                            b.put("secretVariables", Map.of("token", "b"));
                        }),
                Arguments.of("scheduledAt", "a millisecond before 1970", put("scheduledAt", "1969-12-31T23:59:59.999Z")),
                Arguments.of("scheduledAt", "a nanosecond after the last instant",
                        put("scheduledAt", "9999-12-31T23:59:59.000000001Z")),
                Arguments.of("scheduledAt", "past 9999 through its offset", put("scheduledAt", "9999-12-31T23:59:59-00:01")),
                Arguments.of("scheduledAt", "before 1970 through its offset", put("scheduledAt", "1970-01-01T00:30:00+01:00")),
                Arguments.of("scheduledAt", "the year 10000", put("scheduledAt", "+10000-01-01T00:00:00Z")),
                Arguments.of("scheduledAt", "no offset", put("scheduledAt", "2030-01-01T10:00:00")),
                Arguments.of("scheduledAt", "a date only", put("scheduledAt", "2030-01-01")),
                Arguments.of("scheduledAt", "epoch seconds", put("scheduledAt", "1893456000")),
                Arguments.of("timeout", "under a millisecond", put("timeout", "PT0.000999S")),
                Arguments.of("timeout", "negative", put("timeout", "-PT1S")),
                Arguments.of("timeout", "a millisecond past the maximum", put("timeout", "PT24H0.001S")),
                Arguments.of("timeout", "milliseconds as a number", put("timeout", "60000")),
                Arguments.of("retryDelay", "a millisecond below zero", put("retryDelay", "-PT0.001S")),
                Arguments.of("retryDelay", "a millisecond past the cap", put("retryDelay", "PT10M0.001S")),
                Arguments.of("retryDelay", "not a duration", put("retryDelay", "10s")),
                Arguments.of("maxRetries", "101", put("maxRetries", 101)),
                Arguments.of("maxRetries", "below zero", put("maxRetries", -1)),
                Arguments.of("dependsOn", "101 dependencies", put("dependsOn", jobIds(101))),
                Arguments.of("dependsOn[0]", "an id in upper case", put("dependsOn", List.of(JOB_ID.toUpperCase()))),
                Arguments.of("dependsOn[0]", "an id without dashes", put("dependsOn", List.of(JOB_ID.replace("-", "")))),
                Arguments.of("dependsOn[1]", "null", put("dependsOn", list(JOB_ID, null))));
    }

    private static Consumer<Map<String, Object>> put(String field, Object value) {
        return body -> body.put(field, value);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void theFirstValuePastEachRuleIsRefusedNamingItsField(String field, String label,
                                                          Consumer<Map<String, Object>> change) {
        Map<String, Object> body = valid();
        change.accept(body);
        assertThat(refusedFields(validator, body)).containsExactly(field);
    }

    @Test
    void aReservedNameListedInTheConfigurationIsAccepted() {
        Map<String, Object> body = valid();
        body.put("variables", Map.of("ansible_user", "deploy"));
        assertThat(refusedFields(allowingAnsibleUser, body)).isEmpty();
        body.put("variables", Map.of("ansible_become", "yes"));
        assertThat(refusedFields(allowingAnsibleUser, body)).containsExactly("variables.ansible_become");
    }

    @Test
    void secretVariablesNeedAKey() {
        Map<String, Object> body = valid();
        body.put("secretVariables", Map.of("token", "s3cret"));
        assertThat(refusedFields(withoutSecretKey, body)).containsExactly("secretVariables");
        JobSpec spec = validate(validator, body);
        assertThat(spec.secretVariables()).isNotNull();
        assertThat(spec.secretVariables().names()).containsExactly("token");
        assertThat(spec.secretVariables().ciphertext()).doesNotContain("s3cret");
        assertThat(spec.variables()).isEmpty();
    }

    @Test
    void defaultsFillWhatTheSubmissionLeavesOut() {
        JobSpec spec = validate(validator, valid());
        assertThat(spec.type()).isEqualTo(JobType.ANSIBLE);
        assertThat(spec.priority()).isEqualTo(Priority.NORMAL);
        assertThat(spec.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.maxRetries()).isZero();
        assertThat(spec.retryDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.scheduledAt()).isNull();
        assertThat(spec.variables()).isEmpty();
        assertThat(spec.tags()).isEmpty();
        assertThat(spec.dependsOn()).isEmpty();
        assertThat(spec.description()).isNull();
        assertThat(spec.secretVariables()).isNull();
    }

    @Test
    void valuesAreReadAsWrittenAndRepeatsKeptOnce() {
        Map<String, Object> body = valid();
        body.put("priority", "high");
        body.put("scheduledAt", "2030-01-01T12:00:00+02:00");
        body.put("timeout", "PT30M");
        body.put("inventory", List.of("web2", "web1", "web2"));
        body.put("tags", List.of("b", "a", "b"));
        body.put("dependsOn", List.of(JOB_ID, JOB_ID));
        JobSpec spec = validate(validator, body);
        assertThat(spec.priority()).isEqualTo(Priority.HIGH);
        assertThat(spec.scheduledAt()).isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(spec.inventory()).containsExactly("web2", "web1");
        assertThat(spec.tags()).containsExactly("b", "a");
        assertThat(spec.dependsOn()).containsExactly(JOB_ID);
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("priority", "urgent");
        body.put("inventory", List.of("ok", "bad host"));
        body.put("timeout", "forever");
        body.put("maxRetries", 1000);
        assertThat(refusedFields(validator, body)).containsExactlyInAnyOrder(
                "name", "priority", "playbook", "inventory[1]", "timeout", "maxRetries");
    }

    @Test
    void noSubmissionAtAllIsABodyError() {
        assertThatThrownBy(() -> validator.validate(null)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("body"));
    }
}
