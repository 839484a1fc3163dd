package io.charon.jobs.submission;

import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobSubmission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a submission's JSON is read: strictly, and every error names the field it is about. */
class SubmissionParserTest {

    private final SubmissionParser parser = new SubmissionParser();

    private JobSubmission parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // a value of the wrong type, at any depth
            "{\"name\": 42}                                  | name",
            "{\"name\": true}                                | name",
            "{\"maxRetries\": \"3\"}                         | maxRetries",
            "{\"maxRetries\": 3.0}                           | maxRetries",
            "{\"maxRetries\": true}                          | maxRetries",
            "{\"maxRetries\": null, \"inventory\": \"web1\"} | inventory",
            "{\"inventory\": [\"web1\", 2]}                  | inventory[1]",
            "{\"inventory\": [\"web1\", [\"web2\"]]}         | inventory[1]",
            "{\"variables\": {\"count\": 3}}                 | variables.count",
            "{\"variables\": {\"on\": false}}                | variables.on",
            "{\"variables\": {\"nested\": {\"a\": \"b\"}}}   | variables.nested",
            "{\"secretVariables\": [\"token\"]}              | secretVariables",
            "{\"tags\": [\"a\", {}]}                         | tags[1]",
            "{\"dependsOn\": \"0a1b2c3d\"}                   | dependsOn",
            // a name given twice: which one counts would be a guess
            "{\"name\": \"a\", \"name\": \"b\"}              | name",
            "{\"variables\": {\"x\": \"1\", \"x\": \"2\"}}   | variables.x",
            // a field the service does not know
            "{\"colour\": \"blue\"}                          | colour",
            "{\"Name\": \"deploy\"}                          | Name",
            // not one JSON object
            "[]                                              | body",
            "\"deploy\"                                      | body",
            "null                                            | body",
            "{\"name\": \"a\"} {}                            | body",
            "{\"name\": \"a\"                                | body",
            "{name: \"a\"}                                   | body"})
    void anUnreadableSubmissionNamesTheField(String json, String field) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(field));
    }

    @Test
    void anEmptyBodyIsABodyError() {
        assertThatThrownBy(() -> parser.parse(new byte[0])).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("body"));
        assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String deep = "[".repeat(SubmissionParser.MAX_DEPTH) + "]".repeat(SubmissionParser.MAX_DEPTH);
        assertThatThrownBy(() -> parse("{\"priority\": " + deep + "}")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aWellFormedSubmissionIsReadAsWritten() {
        JobSubmission submission = parse("""
                {"name": "deploy", "priority": 10, "playbook": "site.yml", "inventory": ["web1", "web2"],
                 "variables": {"version": "1.2"}, "maxRetries": 3, "timeout": "PT5M", "secretVariables": null}""");
        assertThat(submission.name()).isEqualTo("deploy");
        assertThat(submission.priority().isIntegralNumber()).isTrue();
        assertThat(submission.inventory()).containsExactly("web1", "web2");
        assertThat(submission.variables()).containsEntry("version", "1.2");
        assertThat(submission.maxRetries()).isEqualTo(3);
        assertThat(submission.timeout()).isEqualTo("PT5M");
        assertThat(submission.secretVariables()).isNull();
        assertThat(submission.type()).isNull();
    }
}
