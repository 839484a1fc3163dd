package io.charon.bench;

/**
 * The mechanics of a scenario broke (a job did not complete, a request failed, the service
 * died): the figures would be meaningless, so the scenario fails and {@code bench/run} exits
 * non-zero, smoke or not. A missed speed target is not a failure.
 */
final class ScenarioFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ScenarioFailure(String message) {
        super(message);
    }

    ScenarioFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
