package io.charon.bench;

import java.util.Map;

/**
 * One benchmark. {@link Bench} runs it {@code --runs} times, each time through
 * {@link #runOnce}, and reports every figure's median, min and max against its target.
 * A run throws {@link ScenarioFailure} when the mechanics break (a job did not complete).
 */
abstract class Scenario {

    /** As named on the command line. */
    abstract String name();

    /** What it measures, in one line. */
    abstract String summary();

    /** The options this scenario uses, with their values, for the report. */
    abstract Map<String, String> settings(Options options);

    /** One measured run; everything it starts goes through {@code run} so it is stopped afterwards. */
    abstract RunFigures runOnce(RunContext run) throws Exception;

    /** The one store ({@code --store}) it runs on, or null when it runs on either. */
    String onlyStore() {
        return null;
    }

    /** Why it runs on {@link #onlyStore()} alone. */
    String whyOnlyStore() {
        return "";
    }

    /** Whether it starts the service at all (and so uses {@code --store}). */
    boolean usesStore() {
        return true;
    }

    /** Why it cannot run on {@code store}, or null when it can. */
    final String storeRefusal(String store) {
        String only = onlyStore();
        return only == null || only.equals(store) ? null
                : name() + " runs on --store " + only + " only: " + whyOnlyStore();
    }

    /** Why it cannot run here (missing endpoint or tool), or null when it can. */
    String unavailable(Options options) {
        return null;
    }
}
