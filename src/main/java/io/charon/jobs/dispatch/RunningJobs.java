package io.charon.jobs.dispatch;

import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.execution.RunHandle;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The runs of this instance that are under way, so they can be stopped from outside. */
@ApplicationScoped
public class RunningJobs {

    private final Map<String, RunHandle> runs = new ConcurrentHashMap<>();

    void add(String jobId, RunHandle handle) {
        runs.put(jobId, handle);
    }

    void remove(String jobId, RunHandle handle) {
        runs.remove(jobId, handle);
    }

    /** Stops a run of this instance, if it has one for the job. */
    public boolean stop(String jobId, ExecutionOutcome.Kind reason) {
        return Optional.ofNullable(runs.get(jobId)).map(handle -> {
            handle.stop(reason);
            return true;
        }).orElse(false);
    }

    public Set<String> jobIds() {
        return Set.copyOf(runs.keySet());
    }

    void stopAll(ExecutionOutcome.Kind reason) {
        runs.values().forEach(handle -> handle.stop(reason));
    }
}
