package io.charon.jobs.execution;

import java.time.Duration;
import java.util.Optional;

/**
 * Lets others stop a run from outside (cancellation, shutdown). The runner attaches the process
 * once it has started; a stop asked before that is honoured as soon as it is attached.
 */
public final class RunHandle {

    private final Duration killGrace;
    private ExecutionOutcome.Kind stopReason;
    private ProcessHandle process;

    public RunHandle(Duration killGrace) {
        this.killGrace = killGrace;
    }

    /** Stops the run's whole process tree; the run then ends with {@code reason}. First reason wins. */
    public void stop(ExecutionOutcome.Kind reason) {
        ProcessHandle toKill;
        synchronized (this) {
            if (stopReason != null) {
                return;
            }
            stopReason = reason;
            toKill = process;
        }
        if (toKill != null) {
            ProcessTree.terminate(toKill, killGrace);
        }
    }

    /** Called by the runner with the started process; kills it at once if a stop came first. */
    public void attach(ProcessHandle started) {
        boolean stopNow;
        synchronized (this) {
            process = started;
            stopNow = stopReason != null;
        }
        if (stopNow) {
            ProcessTree.terminate(started, killGrace);
        }
    }

    public synchronized Optional<ExecutionOutcome.Kind> stopReason() {
        return Optional.ofNullable(stopReason);
    }
}
