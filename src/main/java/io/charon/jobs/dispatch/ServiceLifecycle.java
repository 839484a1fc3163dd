package io.charon.jobs.dispatch;

import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.execution.PlaybookRunner;
import io.charon.jobs.files.PrivateFiles;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Start-up: stop the processes and settle the runs this instance left behind when it last
 * died, then start claiming.
 * Shutdown: from its first moment, stop claiming, refuse new work and give running jobs
 * {@code charon.jobs.shutdown-grace} to finish, then stop the rest and hand them back to the
 * queue without using up an attempt.
 */
@ApplicationScoped
public class ServiceLifecycle {

    /**
     * Shutdown observers with this priority run after this one's hand-back of running jobs, so
     * they still see its events (observers run in ascending priority; the default is 2500).
     */
    public static final int AFTER_SERVICE_LIFECYCLE = 3000;

    private static final Logger LOG = Logger.getLogger(ServiceLifecycle.class);

    private final Dispatcher dispatcher;
    private final OrphanRescuer rescuer;
    private final WorkerPool pool;
    private final RunningJobs running;
    private final PlaybookRunner runner;
    private final InstanceIdentity instance;
    private final JobsConfig config;
    private final AnsibleConfig ansible;
    private volatile boolean started;
    private volatile boolean draining;
    private Thread drain;
    private volatile int abandonedAtStart;
    private volatile int rescuedAtStart;

    public ServiceLifecycle(Dispatcher dispatcher, OrphanRescuer rescuer, WorkerPool pool, RunningJobs running,
                            PlaybookRunner runner, InstanceIdentity instance, JobsConfig config, AnsibleConfig ansible) {
        this.runner = runner;
        this.instance = instance;
        this.dispatcher = dispatcher;
        this.rescuer = rescuer;
        this.pool = pool;
        this.running = running;
        this.config = config;
        this.ansible = ansible;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            // job logs and run directories hold what playbooks print and the variables they get
            PrivateFiles.createMissing(config.dataDir());
            PrivateFiles.directory(config.dataDir().resolve("logs"));
            PrivateFiles.directory(ansible.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data and work directories", e);
        }
        int abandoned = runner.stopAbandonedRuns(instance.id());
        if (abandoned > 0) {
            LOG.infof("start-up: stopped %d playbook runs left behind by this instance's previous life", abandoned);
        }
        // only now that the previous life's processes are stopped may anything settle their runs
        int rescued = rescuer.rescueAtStartUp();
        if (rescued > 0) {
            LOG.infof("start-up: %d jobs were running when this service last stopped; settled by the %s policy",
                    rescued, config.orphanPolicy().wireName());
        }
        abandonedAtStart = abandoned;
        rescuedAtStart = rescued;
        dispatcher.startClaiming();
        started = true;
    }

    /** Start-up work (clean-up, rescue) is done and the dispatcher claims. */
    public boolean isStarted() {
        return started;
    }

    /** The service is stopping: it claims nothing more and lets its running jobs finish. */
    public boolean isDraining() {
        return draining;
    }

    /** Playbook processes of this instance's previous life that start-up stopped. */
    public int abandonedRunsStopped() {
        return abandonedAtStart;
    }

    /** Runs of this instance's previous life that start-up settled by the orphan policy. */
    public int orphansSettledAtStart() {
        return rescuedAtStart;
    }

    /**
     * The start of the shutdown, before any {@code quarkus.shutdown.delay} and before the HTTP
     * layer waits for open requests: Quarkus fires this at every shutdown, since
     * {@code quarkus.shutdown.delay-enabled} is set at build time. First of its observers, so
     * that no new job is taken from here on: the service claims nothing more, refuses new work,
     * and its running jobs' {@code charon.jobs.shutdown-grace} begins.
     */
    void onShutdownBegins(@Observes @Priority(1) ShutdownDelayInitiatedEvent event) {
        beginDrain();
    }

    /**
     * Last of its observers (streams and waits have ended by then): the shutdown goes on only
     * once the running jobs have finished or been handed back, so that meanwhile the HTTP layer
     * still answers, reads as usual and new jobs with a 503, rather than refusing connections.
     */
    void awaitDrain(@Observes @Priority(AFTER_SERVICE_LIFECYCLE) ShutdownDelayInitiatedEvent event) {
        join(beginDrain());
    }

    void onStop(@Observes ShutdownEvent event) {
        join(beginDrain());
        dispatcher.close();
    }

    private static void join(Thread drain) {
        try {
            drain.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Thread beginDrain() {
        if (drain == null) {
            draining = true;
            dispatcher.stopClaiming();
            drain = new Thread(this::handBackWhatOutlastsTheGrace, "charon-shutdown-drain");
            drain.start();
        }
        return drain;
    }

    private void handBackWhatOutlastsTheGrace() {
        try {
            if (!pool.awaitIdle(config.shutdownGrace())) {
                LOG.infof("shutdown: %d jobs still running after %s; stopping them and handing them back to the queue",
                        pool.activeJobs(), config.shutdownGrace());
                running.stopAll(ExecutionOutcome.Kind.INTERRUPTED);
                pool.awaitIdle(ansible.killGrace().plus(Duration.ofSeconds(10)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
