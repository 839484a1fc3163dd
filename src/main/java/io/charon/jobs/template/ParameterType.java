package io.charon.jobs.template;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The types of a template's parameters, by the names the API uses. */
enum ParameterType {
    STRING, INTEGER, NUMBER, BOOLEAN, CHOICE, MULTICHOICE, SECRET;

    static final String WIRE_NAMES = "string, integer, number, boolean, choice, multichoice, secret";

    static Optional<ParameterType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName().equals(name)).findFirst();
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whose value is text: {@code min}/{@code max} bound its length, {@code pattern} applies. */
    boolean isText() {
        return this == STRING || this == SECRET;
    }

    boolean isNumeric() {
        return this == INTEGER || this == NUMBER;
    }

    boolean hasChoices() {
        return this == CHOICE || this == MULTICHOICE;
    }
}
