package io.charon.bench;

import java.util.Locale;

/**
 * A measured quantity of a scenario: its label, unit, how it is printed, and the target it is
 * judged against (none for figures that only explain the others).
 */
record Figure(String label, String unit, int decimals, Target target) {

    /** Compared with a threshold: at least (throughput) or at most (latency, memory, ratios). */
    record Target(boolean atLeast, double threshold) {
        boolean met(double value) {
            return atLeast ? value >= threshold : value <= threshold;
        }
    }

    static Figure info(String label, String unit, int decimals) {
        return new Figure(label, unit, decimals, null);
    }

    static Figure atLeast(String label, String unit, int decimals, double threshold) {
        return new Figure(label, unit, decimals, new Target(true, threshold));
    }

    static Figure atMost(String label, String unit, int decimals, double threshold) {
        return new Figure(label, unit, decimals, new Target(false, threshold));
    }

    String format(double value) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value) + (unit.isEmpty() ? "" : " " + unit);
    }

    String describeTarget() {
        return target == null ? "" : (target.atLeast() ? "≥ " : "≤ ") + format(target.threshold());
    }
}
