package io.charon.jobs.execution.ansible;

import java.io.IOException;

/** The run could not start; the message says why and goes to the log and the job. */
final class LaunchFailure extends IOException {

    LaunchFailure(String message) {
        super(message);
    }
}
