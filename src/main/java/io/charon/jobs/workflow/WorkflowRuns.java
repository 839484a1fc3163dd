package io.charon.jobs.workflow;

import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.execution.LogFiles;
import io.charon.jobs.job.Actor;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.job.JobIds;
import io.charon.jobs.lifecycle.Canceller;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.RowLocks;
import io.charon.jobs.store.Store;
import io.charon.jobs.template.Template;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs of workflows: launched by those a workflow allows, seen by their launcher, by admins and by
 * the approvers of their approval nodes (to anyone else a run does not exist), cancelled and
 * resumed by their launcher and admins. What moves a run forward is {@link RunAdvance}, in the
 * transactions of its jobs' ends and of its approvals' decisions.
 */
@ApplicationScoped
public class WorkflowRuns {

    /** A run with its nodes, in the definition's order. */
    public record RunDetails(WorkflowRun run, List<RunNode> nodes) {
    }

    private final Store store;
    private final Workflows workflows;
    private final RunAdvance advance;
    private final Canceller canceller;
    private final EventRecorder events;
    private final RowLocks rowLocks;
    private final AuditTrail audit;
    private final JobsConfig config;

    public WorkflowRuns(Store store, Workflows workflows, RunAdvance advance, Canceller canceller, EventRecorder events,
                        RowLocks rowLocks, AuditTrail audit, JobsConfig config) {
        this.store = store;
        this.workflows = workflows;
        this.advance = advance;
        this.canceller = canceller;
        this.events = events;
        this.rowLocks = rowLocks;
        this.audit = audit;
        this.config = config;
    }

    /**
     * Launches the workflow: stores the run and launches its roots' jobs in one transaction.
     *
     * @throws WorkflowNotFoundException no such workflow, or not one the actor may launch
     * @throws io.charon.jobs.job.InvalidInputException a root's template refused its launch; nothing was stored
     */
    public RunDetails launch(String name, Actor actor) {
        workflows.get(name, actor.userId(), actor.seesAllJobs());
        String id = RolledBackByConflict.retrying("a workflow's launch", () -> QuarkusTransaction.requiringNew().call(() -> {
            Workflow workflow = store.session().find(Workflow.class, name);
            if (workflow == null || !workflow.launchableBy(actor.userId(), actor.seesAllJobs())) {
                throw Workflows.notFound(name); // deleted or changed since the look above
            }
            Instant now = events.now();
            WorkflowRun run = new WorkflowRun(JobIds.next(now), workflow, currentVersions(workflow.definition()),
                    actor.userId(), actor.seesAllJobs(), now);
            advance.start(run, now);
            audit.recordInTransaction(List.of(AuditEntry.success(actor.userId(), AuditActions.WORKFLOW_LAUNCH, run.id(),
                    "workflow " + name + " version " + workflow.version())));
            return run.id();
        }));
        return get(id, actor);
    }

    /**
     * The current version of each template the workflow's nodes name, as the run will launch
     * them. A template that is gone has none: its node fails when its turn comes, saying so.
     */
    private Map<String, Integer> currentVersions(WorkflowDefinition definition) {
        Map<String, Integer> versions = new HashMap<>();
        definition.nodes().stream().map(WorkflowNode::template).filter(Objects::nonNull).distinct().forEach(name -> {
            Template template = store.session().find(Template.class, name);
            if (template != null) {
                versions.put(name, template.version());
            }
        });
        return versions;
    }

    /**
     * The run and its nodes as stored now, if the actor launched it, is an admin or is one of its approvers.
     *
     * @throws WorkflowNotFoundException no such run, or not one the actor may see
     */
    @ActivateRequestContext
    public RunDetails get(String id, Actor actor) {
        WorkflowRun run = store.session().find(WorkflowRun.class, id);
        if (run == null || !actor.seesAllJobs() && !actor.userId().equals(run.userId())
                && !run.listsApprover(actor.userId())) {
            throw runNotFound(id);
        }
        RunDetails details = details(run);
        // detached: a later read in the same request (after a cancel) must see the store, not this session
        store.session().detach(run);
        details.nodes().forEach(store.session()::detach);
        return details;
    }

    /** The runs of a workflow the actor may see (an admin: all), newest first, at most {@code limit}. */
    @ActivateRequestContext
    public List<WorkflowRun> runsOf(String workflow, Actor actor, int limit) {
        workflows.get(workflow, actor.userId(), actor.seesAllJobs());
        var query = actor.seesAllJobs()
                ? store.session().createSelectionQuery("from WorkflowRun where workflow = :workflow"
                + " order by createdAt desc, id desc", WorkflowRun.class)
                : store.session().createSelectionQuery("from WorkflowRun where workflow = :workflow and userId = :user"
                + " order by createdAt desc, id desc", WorkflowRun.class).setParameter("user", actor.userId());
        query.setParameter("workflow", workflow);
        return query.setMaxResults(limit).getResultList();
    }

    /**
     * Cancels a run under way: its pending and waiting nodes and those whose jobs have not ended are
     * cancelled, and so are those jobs (a running one has its process tree stopped after the
     * commit), in one transaction.
     *
     * @throws WorkflowNotFoundException no such run, or not one the actor may see
     * @throws ForbiddenException the actor sees the run as an approver, but did not launch it
     * @throws WorkflowConflictException the run has ended
     */
    public RunDetails cancel(String id, Actor actor) {
        launcherOrAdmin(get(id, actor).run(), actor, "cancel");
        RolledBackByConflict.retrying("a workflow run's cancel", () -> QuarkusTransaction.requiringNew().run(() -> {
            // the live jobs first, in id order, then the run: the order in which a job's end locks them
            List<String> live = store.session().createSelectionQuery("select n.jobId from RunNode n where n.key.runId = :run"
                    + " and n.status = :started", String.class).setParameter("run", id)
                    .setParameter("started", NodeStatus.STARTED.wireName()).getResultList();
            rowLocks.loadJobsForChange(store.session(), Job.class, live);
            WorkflowRun run = store.session().find(WorkflowRun.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (!run.isRunning()) {
                throw new WorkflowConflictException("workflow run " + id + " already ended " + run.status());
            }
            Instant now = events.now();
            String reason = "cancelled with workflow run " + id + " by " + actor.userId();
            run.end(WorkflowRun.Status.CANCELLED, "cancelled by " + actor.userId(), now);
            List<Job> cancelled = new ArrayList<>();
            for (RunNode node : advance.nodes(run).values()) {
                NodeStatus status = node.nodeStatus();
                if (status == NodeStatus.PENDING || status == NodeStatus.WAITING) {
                    node.moveTo(NodeStatus.CANCELLED, reason, now);
                } else if (status == NodeStatus.STARTED) {
                    node.moveTo(NodeStatus.CANCELLED, reason, now);
                    // locked above, unless it started between that look and the run's lock
                    Job job = store.session().find(Job.class, node.jobId(), LockModeType.PESSIMISTIC_WRITE);
                    if (job != null && !job.getStatus().isTerminal()) {
                        canceller.cancelLocked(job, actor.userId(), reason, running -> LogFiles.tail(
                                running.getLogPath() == null ? null : Path.of(running.getLogPath()),
                                config.outputTailBytes()));
                        cancelled.add(job);
                    }
                }
            }
            if (!cancelled.isEmpty()) {
                events.save(cancelled.get(0).record(JobEventType.WORKFLOW_CANCELLED, "workflow run " + id
                        + " cancelled by " + actor.userId(), RunAdvance.data(run, null), now));
            }
            audit.recordInTransaction(List.of(AuditEntry.success(actor.userId(), AuditActions.WORKFLOW_CANCEL, id,
                    "workflow " + run.workflow())));
        }));
        return get(id, actor);
    }

    /**
     * Resumes a failed run: its nodes not completed are set back and run again from the failed
     * ones, completed nodes keeping their jobs and results, in one transaction; the run is
     * {@code running} again, at its next attempt.
     *
     * @throws WorkflowNotFoundException no such run, or not one the actor may see
     * @throws ForbiddenException the actor sees the run as an approver, but did not launch it
     * @throws WorkflowConflictException the run did not end failed
     */
    public RunDetails resume(String id, Actor actor) {
        launcherOrAdmin(get(id, actor).run(), actor, "resume");
        RolledBackByConflict.retrying("a workflow run's resume", () -> QuarkusTransaction.requiringNew().run(() -> {
            WorkflowRun run = store.session().find(WorkflowRun.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (!run.hasFailed()) {
                throw new WorkflowConflictException("workflow run " + id + " is " + run.status()
                        + ": only a failed run is resumed");
            }
            advance.resume(run, actor.userId(), events.now());
            audit.recordInTransaction(List.of(AuditEntry.success(actor.userId(), AuditActions.WORKFLOW_RESUME, id,
                    "workflow " + run.workflow() + ", attempt " + run.attempt())));
        }));
        return get(id, actor);
    }

    /** Approvers see a run to decide its approvals; only its launcher and admins act on the run itself. */
    private static void launcherOrAdmin(WorkflowRun run, Actor actor, String what) {
        if (!actor.seesAllJobs() && !actor.userId().equals(run.userId())) {
            throw new ForbiddenException("only the launcher of workflow run " + run.id() + " or an admin may " + what
                    + " it");
        }
    }

    private RunDetails details(WorkflowRun run) {
        Map<String, RunNode> byId = advance.nodes(run);
        return new RunDetails(run, run.definition().nodes().stream().map(node -> byId.get(node.id())).toList());
    }

    static WorkflowNotFoundException runNotFound(String id) {
        return new WorkflowNotFoundException("no workflow run " + id);
    }
}
