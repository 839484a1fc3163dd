package io.charon.jobs.dispatch;

import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.execution.ExecutionRequest;
import io.charon.jobs.execution.PlaybookRunner;
import io.charon.jobs.execution.RunHandle;
import io.charon.jobs.inventory.Inventories;
import io.charon.jobs.lifecycle.RunRecorder;
import io.charon.jobs.queue.ClaimedJob;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Runs what the dispatcher claimed: registers each run as running here (for cancellation and
 * lease renewal), runs its playbook on a worker without a transaction, and hands its progress
 * and outcome to the {@link RunRecorder}, fenced by the claim token.
 */
@ApplicationScoped
public class RunLauncher {

    private static final Logger LOG = Logger.getLogger(RunLauncher.class);
    /** Beyond a run's timeout and kill grace, how long storing its outcome may take before its worker counts as wedged. */
    private static final Duration OUTCOME_ALLOWANCE = Duration.ofMinutes(1);

    private final RunRecorder runs;
    private final WorkerPool pool;
    private final RunningJobs running;
    private final PlaybookRunner runner;
    private final InstanceIdentity instance;
    private final AnsibleConfig ansible;
    private final Clock clock;
    private final HostAccessLoader hostAccess;
    private final Inventories inventories;

    public RunLauncher(RunRecorder runs, WorkerPool pool, RunningJobs running, PlaybookRunner runner,
                       InstanceIdentity instance, AnsibleConfig ansible, Clock clock, HostAccessLoader hostAccess,
                       Inventories inventories) {
        this.hostAccess = hostAccess;
        this.inventories = inventories;
        this.runs = runs;
        this.pool = pool;
        this.running = running;
        this.runner = runner;
        this.instance = instance;
        this.ansible = ansible;
        this.clock = clock;
    }

    /**
     * Starts {@code job}'s run on a worker; {@code slotFreed} runs when the worker is free again.
     * The caller holds the worker slot's reservation.
     */
    void launch(ClaimedJob job, Runnable slotFreed) {
        RunHandle handle = new RunHandle(ansible.killGrace());
        running.add(job.id(), job.token(), handle);
        Instant mustEndBy = clock.instant().plus(job.timeout()).plus(ansible.killGrace()).plus(OUTCOME_ALLOWANCE);
        pool.start(mustEndBy, () -> run(job, handle), slotFreed);
    }

    /** Stops this process's run of a job the store already says is cancelled (the token fenced it out). */
    void stopCancelled(String jobId) {
        running.stop(jobId, ExecutionOutcome.Kind.CANCELLED);
    }

    /** Runs the job's playbook; the returned stage completes once its outcome is stored (or could not be). */
    private CompletionStage<?> run(ClaimedJob job, RunHandle handle) {
        ExecutionOutcome outcome;
        try {
            ExecutionRequest request = new ExecutionRequest(job.id(), job.id() + "-" + job.token(), instance.id(),
                    job.playbook(), job.inventory(), job.variables(), job.secretVariables(), job.timeout(),
                    job.idleTimeout(), job.logFile(), hostAccess.load(job), job.retryHosts(), job.mode());
            outcome = runner.run(request, (message, data) -> recordProgress(job, handle, message, data), handle);
        } catch (HostAccessLoader.UnavailableException e) {
            outcome = ExecutionOutcome.launchFailed(e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: the runner failed", job.id());
            outcome = ExecutionOutcome.launchFailed("internal error while running the playbook: " + e.getMessage());
        } finally {
            // its processes are gone: nothing left to stop or to renew a lease for
            running.remove(job.id(), handle);
        }
        learnHostKeys(job, outcome);
        ExecutionOutcome.Kind kind = outcome.kind();
        return runs.finishRunLater(job.id(), job.token(), outcome).whenComplete((status, error) -> {
            if (error != null) {
                // the lease runs out and the rescuer settles the job by the orphan policy
                LOG.errorf(error, "job %s: could not record the outcome %s", job.id(), kind);
            }
        });
    }

    /** Host keys first seen under the inventory's accept-new policy go into the inventory, as a new version. */
    private void learnHostKeys(ClaimedJob job, ExecutionOutcome outcome) {
        if (outcome.learnedHostKeys().isEmpty() || job.inventoryRef() == null) {
            return;
        }
        try {
            inventories.learnHostKeys(job.inventoryRef(), outcome.learnedHostKeys(), job.id());
        } catch (RuntimeException e) {
            // the next run meets the hosts as new again and learns them then
            LOG.warnf("job %s: could not record the host keys it learned: %s", job.id(), e.getMessage());
        }
    }

    private void recordProgress(ClaimedJob job, RunHandle handle, String message, String data) {
        try {
            if (!runs.recordProgress(job.id(), job.token(), message, data)) {
                // the job was cancelled or taken from this run: stop doing its work
                handle.stop(ExecutionOutcome.Kind.CANCELLED);
            }
        } catch (RuntimeException e) {
            // progress is informative: a store hiccup must not abandon a running playbook
            LOG.warnf("job %s: could not store a progress event: %s", job.id(), e.getMessage());
        }
    }
}
