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

    /** Why it cannot run here (missing endpoint or tool), or null when it can. */
    String unavailable(Options options) {
        return null;
    }
}
