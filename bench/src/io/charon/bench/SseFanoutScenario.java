package io.charon.bench;

import java.util.Map;

/**
 * Scenario 8, sse-fanout: many subscribers on a server-sent event stream of job events. The
 * service has no SSE endpoint yet, so this only says so; when one exists, this is where the
 * subscribers go.
 */
final class SseFanoutScenario extends Scenario {

    @Override
    String name() {
        return "sse-fanout";
    }

    @Override
    String summary() {
        return "job events fanned out to many SSE subscribers";
    }

    @Override
    Map<String, String> settings(Options options) {
        return Map.of();
    }

    @Override
    String unavailable(Options options) {
        return "no SSE endpoint";
    }

    @Override
    RunFigures runOnce(RunContext run) {
        throw new IllegalStateException("unavailable");
    }
}
