package io.charon.jobs.workflow;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CEL conditions: what compiles over the declared variables, and what evaluation gives. */
class ConditionsTest {

    private static Map<String, Object> result(String status, long exitCode) {
        return Map.of("status", status, "exitCode", exitCode,
                "hostStats", Map.of("web1", Map.of("ok", 3L, "changed", 1L, "failed", 0L, "skipped", 0L,
                        "unreachable", 0L, "rescued", 0L, "ignored", 0L)),
                "failedHosts", List.of("db1"), "artifacts", Map.of());
    }

    @Test
    void conditionsCompileToABooleanOverTheDeclaredVariablesOnly() {
        assertThat(Conditions.problem("exitCode == 2 && status == 'failed'")).isEmpty();
        assertThat(Conditions.problem("'db1' in failedHosts || hostStats.exists(h, hostStats[h].changed > 0)")).isEmpty();
        assertThat(Conditions.problem("size(artifacts) == 0")).isEmpty();
        assertThat(Conditions.problem("status ==")).isPresent();
        assertThat(Conditions.problem("exitCode == 'two'")).get().asString().contains("_==_");
        assertThat(Conditions.problem("undeclared > 1")).get().asString().contains("undeclared");
        assertThat(Conditions.problem("exitCode + 1")).as("not a boolean").isPresent();
    }

    @Test
    void evaluationGivesTheOutcomeAndAnErrorAsAMessage() {
        assertThat(Conditions.evaluate("exitCode == 2 && status == 'failed'", result("failed", 2)).holds()).isTrue();
        assertThat(Conditions.evaluate("exitCode == 2", result("completed", 0)).holds()).isFalse();
        assertThat(Conditions.evaluate("hostStats['web1'].changed == 1 && 'db1' in failedHosts",
                result("completed", 0)).holds()).isTrue();
        Conditions.Outcome missing = Conditions.evaluate("hostStats['web9'].ok > 0", result("completed", 0));
        assertThat(missing.holds()).isFalse();
        assertThat(missing.error()).contains("web9");
    }

    @Test
    void aNodeWithoutAJobCountsAsFailedWithNoExitCode() {
        Map<String, Object> none = RunAdvance.variables(null);
        assertThat(none).containsEntry("status", "failed").containsEntry("exitCode", -1L)
                .containsEntry("failedHosts", List.of()).containsEntry("hostStats", Map.of());
        assertThat(Conditions.evaluate("status == 'failed' && exitCode == -1 && size(hostStats) == 0", none).holds())
                .isTrue();
    }
}
