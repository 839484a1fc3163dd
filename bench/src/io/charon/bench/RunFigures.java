package io.charon.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures one run of a scenario measured, in the order they were measured, and its remarks. */
final class RunFigures {

    private final Map<Figure, Double> values = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    RunFigures put(Figure figure, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new ScenarioFailure("figure " + figure.label() + " is not a number: " + value);
        }
        values.put(figure, value);
        return this;
    }

    /** A remark printed with the results, e.g. that an endpoint is not available. */
    RunFigures note(String note) {
        notes.add(note);
        return this;
    }

    Map<Figure, Double> values() {
        return values;
    }

    List<String> notes() {
        return notes;
    }

    String oneLine() {
        return values.entrySet().stream().map(e -> e.getKey().label().strip() + " " + e.getKey().format(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
