package io.charon.jobs.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriorityTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"low, 1, LOW", "normal, 5, NORMAL", "high, 10, HIGH", "critical, 15, CRITICAL"})
    void namesAndNumbersMapBothWays(String name, int value, Priority priority) {
        assertThat(priority.wireName()).isEqualTo(name);
        assertThat(priority.value()).isEqualTo(value);
        assertThat(Priority.parse(name)).contains(priority);
        assertThat(Priority.parse(String.valueOf(value))).contains(priority);
        assertThat(Priority.ofValue(value)).isEqualTo(priority);
    }

    @ParameterizedTest
    @CsvSource({"LOW, LOW", "High, HIGH", "CRITICAL, CRITICAL", "nOrMaL, NORMAL"})
    void namesAreReadInAnyCase(String text, Priority priority) {
        assertThat(Priority.parse(text)).contains(priority);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "urgent", "medium", "0", "2", "11", "16", "-1", "05", "+5", "5.0", "1e1",
            " high", "high ", "10 ", "low,high"})
    void anythingElseIsNotAPriority(String text) {
        assertThat(Priority.parse(text)).isEmpty();
    }

    @Test
    void nullIsNotAPriority() {
        assertThat(Priority.parse(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -5, 0, 2, 4, 6, 9, 11, 14, 16, Integer.MAX_VALUE})
    void aNumberWithoutAPriorityIsRefused(int value) {
        assertThatThrownBy(() -> Priority.ofValue(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(value));
    }

    /** Claim order is by value: a higher one runs first. */
    @Test
    void valuesRiseWithUrgencyInDeclarationOrder() {
        assertThat(Arrays.stream(Priority.values()).mapToInt(Priority::value).toArray())
                .containsExactly(1, 5, 10, 15);
        assertThat(Priority.values()).containsExactly(Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.CRITICAL);
    }
}
