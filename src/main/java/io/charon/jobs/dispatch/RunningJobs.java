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

    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    private record Run(long token, RunHandle handle) {
    }

    void add(String jobId, long token, RunHandle handle) {
        runs.put(jobId, new Run(token, handle));
    }

    void remove(String jobId, RunHandle handle) {
        runs.computeIfPresent(jobId, (id, run) -> run.handle() == handle ? null : run);
    }

    /** Stops a run of this instance, if it has one for the job. */
    public boolean stop(String jobId, ExecutionOutcome.Kind reason) {
        return Optional.ofNullable(runs.get(jobId)).map(run -> {
            run.handle().stop(reason);
            return true;
        }).orElse(false);
    }

    public Set<String> jobIds() {
        return Set.copyOf(runs.keySet());
    }

    /** Job id → claim token of every run under way here. */
    Map<String, Long> tokens() {
        Map<String, Long> tokens = new java.util.HashMap<>();
        runs.forEach((id, run) -> tokens.put(id, run.token()));
        return tokens;
    }

    void stopAll(ExecutionOutcome.Kind reason) {
        runs.values().forEach(run -> run.handle().stop(reason));
    }
}
