package io.charon.jobs.workflow;

import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.job.Actor;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.HostStats;
import io.charon.jobs.job.IdempotencyConflictException;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.lifecycle.JobEndObserver;
import io.charon.jobs.persistence.JsonColumns;
import io.charon.jobs.store.Store;
import io.charon.jobs.template.LaunchRequest;
import io.charon.jobs.template.TemplateLauncher;
import io.charon.jobs.template.TemplateNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Moves runs forward, always in the transaction of what drives them: a run's start launches its
 * roots in the launch's transaction; a node's job ending ({@link JobEndObserver}, called in the
 * transaction that ends the job, with the job's row locked) or an approval's decision
 * ({@link Approvals}) ends its node, resolves the node's outgoing edges, launches the nodes they
 * make ready (an approval node waits instead), skips those they make unreachable, and ends the
 * run when every node has ended; a resume sets a failed run's unfinished nodes back and starts
 * again from them. A crash before that commit loses the step together with what drove it; after
 * it, both are stored: no step is lost or taken twice.
 *
 * <p>A run's row is locked after the job's (as every job's end locks it), so two jobs of one run
 * ending at once on two replicas take their steps one after the other. Events about a node with
 * no job of its own are recorded on the job that drove the step or, for a decision or a resume,
 * on the run's latest ended job (none before any job ended).
 */
@ApplicationScoped
public class RunAdvance implements JobEndObserver {

    private final Store store;
    private final TemplateLauncher launcher;
    private final EventRecorder events;

    public RunAdvance(Store store, TemplateLauncher launcher, EventRecorder events) {
        this.store = store;
        this.launcher = launcher;
        this.events = events;
    }

    /** Whether a pending node may start now, must wait for more of its edges, or never will. */
    private enum Readiness { READY, WAIT, NEVER }

    /**
     * Stores a new run and its nodes, and launches its roots, in the caller's transaction.
     *
     * @throws InvalidInputException a root's template refused its launch (each named
     *                               {@code nodes[i].…}); the caller's transaction must roll back
     */
    void start(WorkflowRun run, Instant now) {
        store.session().persist(run);
        Map<String, RunNode> nodes = new LinkedHashMap<>();
        for (WorkflowNode node : run.definition().nodes()) {
            RunNode pending = new RunNode(run.id(), node.id(), now);
            store.session().persist(pending);
            nodes.put(node.id(), pending);
        }
        List<FieldError> refused = new ArrayList<>();
        Job first = null;
        List<WorkflowNode> all = run.definition().nodes();
        for (int i = 0; i < all.size(); i++) {
            WorkflowNode node = all.get(i);
            if (!run.definition().isRoot(node.id()) || node.awaitsApproval()) {
                continue;
            }
            try {
                Job job = launch(run, node, nodes.get(node.id()), now);
                first = first == null ? job : first;
            } catch (InvalidInputException e) {
                String at = "nodes[" + i + "]";
                e.errors().forEach(error -> refused.add(new FieldError(at + "." + error.field(), error.reason())));
            } catch (TemplateNotFoundException | IdempotencyConflictException e) {
                refused.add(new FieldError("nodes[" + i + "].template", e.getMessage()));
            }
        }
        if (!refused.isEmpty()) {
            throw new InvalidInputException(refused);
        }
        record(first, JobEventType.WORKFLOW_STARTED, "workflow " + run.workflow() + " version "
                + run.workflowVersion() + " started as run " + run.id(), run, null, now);
        for (WorkflowNode node : all) {
            if (run.definition().isRoot(node.id()) && node.awaitsApproval()) {
                await(run, nodes.get(node.id()), first, now);
            }
        }
    }

    @Override
    public void jobEnded(Job job, Instant now) {
        if (job.spec().template() == null) {
            return; // only template launches are workflow nodes: no lookup for any other job
        }
        // the run's id alone: its nodes are read once its row is locked
        List<String> runs = store.session().createSelectionQuery("select n.key.runId from RunNode n where n.jobId = :job",
                String.class).setParameter("job", job.getId()).getResultList();
        if (runs.isEmpty()) {
            return;
        }
        WorkflowRun run = store.session().find(WorkflowRun.class, runs.get(0), LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !run.isRunning()) {
            return; // cancelled with its run, which ended its node too
        }
        Map<String, RunNode> nodes = nodes(run);
        RunNode node = nodes.values().stream().filter(candidate -> job.getId().equals(candidate.jobId()))
                .findFirst().orElse(null);
        if (node == null || node.nodeStatus() != NodeStatus.STARTED) {
            return;
        }
        boolean completed = job.getStatus() == JobStatus.COMPLETED;
        node.moveTo(completed ? NodeStatus.COMPLETED : NodeStatus.FAILED, completed ? null
                : "its job ended " + job.getStatus().wireName()
                + (job.getErrorMessage() == null ? "" : ": " + job.getErrorMessage()), now);
        recordEnd(job, run, node, now);
        advance(run, nodes, node.node(), job, job, now);
    }

    /**
     * Records the decision of a waiting approval node of {@code run} (whose row is locked) and
     * takes the step it decides: approved, its success edges; denied, its failure edges.
     */
    void decide(WorkflowRun run, Map<String, RunNode> nodes, RunNode node, Decision decision, String why, Instant now) {
        Job witness = latestEndedJob(nodes);
        node.decide(decision, why, now);
        recordEnd(witness, run, node, now);
        advance(run, nodes, node.node(), null, witness, now);
    }

    /**
     * Runs a failed {@code run} (whose row is locked) again from where it failed: every node not
     * completed is set back to pending, keeping its earlier attempt, and so are the edges out of
     * them; the nodes whose incoming edges are then satisfied start (the roots among them too),
     * and the others wait for their edges again. Completed nodes keep their jobs and results.
     */
    void resume(WorkflowRun run, String by, Instant now) {
        Map<String, RunNode> nodes = nodes(run);
        Job witness = latestEndedJob(nodes);
        // in the definition's order: the store returns the rows in none
        List<String> reset = run.definition().nodes().stream().map(WorkflowNode::id)
                .filter(id -> nodes.get(id).nodeStatus() != NodeStatus.COMPLETED).toList();
        reset.forEach(id -> nodes.get(id).reset(now));
        List<WorkflowEdge> edges = run.definition().edges();
        for (int i = 0; i < edges.size(); i++) {
            if (reset.contains(edges.get(i).from())) {
                run.setEdge(i, EdgeOutcome.WAITING);
            }
        }
        run.resume(by, reset, now);
        record(witness, JobEventType.WORKFLOW_RESUMED, "workflow run " + run.id() + " resumed by " + by + " (attempt "
                + run.attempt() + "): " + String.join(", ", reset) + " set back", run, null, now);
        Deque<String> ended = new ArrayDeque<>();
        for (String id : reset) {
            RunNode node = nodes.get(id);
            Readiness readiness = run.definition().isRoot(id) ? Readiness.READY : readiness(run, id);
            if (readiness == Readiness.READY && !begin(run, node, witness, now)
                    || readiness == Readiness.NEVER && skip(run, node, witness, now)) {
                ended.add(id);
            }
        }
        advance(run, nodes, ended, null, witness, now);
    }

    /** The run's nodes by id, in the session (the run's row is locked). */
    Map<String, RunNode> nodes(WorkflowRun run) {
        Map<String, RunNode> nodes = new LinkedHashMap<>();
        store.session().createSelectionQuery("from RunNode n where n.key.runId = :run", RunNode.class)
                .setParameter("run", run.id()).getResultList().forEach(node -> nodes.put(node.node(), node));
        return nodes;
    }

    private void advance(WorkflowRun run, Map<String, RunNode> nodes, String endedId, Job endedJob, Job driver,
                         Instant now) {
        advance(run, nodes, new ArrayDeque<>(List.of(endedId)), endedJob, driver, now);
    }

    /**
     * What follows the end of the nodes in {@code ended} (the first one's job, {@code endedJob},
     * if any, just ended): their edges resolved, the nodes they decide launched, waiting or
     * skipped, and theirs in turn, until nothing more is decided; then the run's end if every node
     * has ended. Events about nodes that have no job of their own are recorded on {@code driver}.
     */
    private void advance(WorkflowRun run, Map<String, RunNode> nodes, Deque<String> ended, Job endedJob, Job driver,
                         Instant now) {
        List<WorkflowEdge> edges = run.definition().edges();
        String endedId = ended.peek();
        while (!ended.isEmpty()) {
            String id = ended.poll();
            RunNode from = nodes.get(id);
            // only the first node may have a job that ended now; the others failed at launch, were skipped or decided
            Job job = id.equals(endedId) ? endedJob : null;
            for (int i = 0; i < edges.size(); i++) {
                WorkflowEdge edge = edges.get(i);
                if (!edge.from().equals(id)) {
                    continue;
                }
                run.setEdge(i, resolve(edge, from.nodeStatus(), job));
                RunNode to = nodes.get(edge.to());
                if (to.nodeStatus() != NodeStatus.PENDING) {
                    continue; // an "any" node started by an earlier edge
                }
                Readiness readiness = readiness(run, edge.to());
                if (readiness == Readiness.READY && !begin(run, to, driver, now)
                        || readiness == Readiness.NEVER && skip(run, to, driver, now)) {
                    ended.add(to.node());
                }
            }
        }
        if (nodes.values().stream().allMatch(node -> node.nodeStatus().hasEnded())) {
            finish(run, nodes, driver, now);
        }
    }

    /**
     * Begins a ready node: an approval waits for its decision, a template node's job is launched;
     * a launch its template refuses fails the node instead (false: the node ended).
     */
    private boolean begin(WorkflowRun run, RunNode node, Job driver, Instant now) {
        if (run.definition().node(node.node()).awaitsApproval()) {
            await(run, node, driver, now);
            return true;
        }
        try {
            launch(run, run.definition().node(node.node()), node, now);
            return true;
        } catch (InvalidInputException | TemplateNotFoundException | IdempotencyConflictException e) {
            node.moveTo(NodeStatus.FAILED, "its launch was refused: " + e.getMessage(), now);
            record(driver, JobEventType.WORKFLOW_NODE_FAILED, "node " + node.node() + " of workflow run "
                    + run.id() + " failed: " + node.message(), run, node.node(), now);
            return false;
        }
    }

    /** Skips a node whose incoming edges can no longer be satisfied; true, for it ended. */
    private boolean skip(WorkflowRun run, RunNode node, Job driver, Instant now) {
        node.moveTo(NodeStatus.SKIPPED, "its incoming edges can no longer be satisfied", now);
        record(driver, JobEventType.WORKFLOW_NODE_SKIPPED, "node " + node.node() + " of workflow run " + run.id()
                + " skipped", run, node.node(), now);
        return true;
    }

    /** An approval node's turn: it waits for a decision, until its timeout passes if it has one. */
    private void await(WorkflowRun run, RunNode node, Job driver, Instant now) {
        Approval approval = run.definition().node(node.node()).approval();
        node.await(approval.timeoutDuration().map(now::plus).orElse(null), now);
        record(driver, JobEventType.WORKFLOW_NODE_WAITING, "node " + node.node() + " of workflow run " + run.id()
                + " waits for a decision of " + String.join(", ", approval.approvers())
                + (node.waitingUntil() == null ? "" : " until " + node.waitingUntil()), run, node.node(), now);
    }

    /** Records that a node ended (completed or failed) on {@code job}: its own, or the one behind its decision. */
    private void recordEnd(Job job, WorkflowRun run, RunNode node, Instant now) {
        record(job, node.nodeStatus() == NodeStatus.COMPLETED ? JobEventType.WORKFLOW_NODE_COMPLETED
                : JobEventType.WORKFLOW_NODE_FAILED, "node " + node.node() + " of workflow run " + run.id() + " "
                + node.status() + (node.message() == null ? "" : ": " + node.message()), run, node.node(), now);
    }

    /** Records a run's event on {@code job}; none when the run has no job to record it on. */
    private void record(Job job, JobEventType type, String message, WorkflowRun run, String node, Instant now) {
        if (job != null) {
            events.save(job.record(type, message, data(run, node), now));
        }
    }

    /**
     * The run's job that ended last, locked to record events on: the job of the node that ended
     * last with one (job ids grow with time). A job whose node ended changes only with its run,
     * whose row the caller holds. None before any job ended, or once retention deleted it.
     */
    private Job latestEndedJob(Map<String, RunNode> nodes) {
        return nodes.values().stream()
                .filter(node -> node.jobId() != null && node.nodeStatus().hasEnded())
                .map(RunNode::jobId).max(String::compareTo)
                .map(id -> store.session().find(Job.class, id, LockModeType.PESSIMISTIC_WRITE))
                .orElse(null);
    }

    /**
     * Launches the node's template as a job, with the rights of the run's launcher, in the node's
     * mode, with the artifacts handed on from the nodes before it as variables.
     */
    private Job launch(WorkflowRun run, WorkflowNode node, RunNode state, Instant now) {
        String where = "workflow " + run.workflow() + " run " + run.id() + " node " + node.id();
        Job job = launcher.launchInTransaction(node.template(), run.templateVersions().get(node.template()),
                new LaunchRequest(node.parametersOrNone(), null, null, null, null, node.mode()),
                HandedOn.variables(run, node.id(), id -> jobOf(run, id)),
                new Actor(run.userId(), run.launchedByAdmin), "as " + where, where).job();
        state.started(job.getId(), now);
        record(job, JobEventType.WORKFLOW_NODE_STARTED, "node " + node.id() + " of workflow run " + run.id()
                + " started", run, node.id(), now);
        return job;
    }

    /** The job node {@code nodeId} of the run launched; null when it launched none. */
    private Job jobOf(WorkflowRun run, String nodeId) {
        RunNode node = store.session().find(RunNode.class, new RunNode.Key(run.id(), nodeId));
        return node == null || node.jobId() == null ? null : store.session().find(Job.class, node.jobId());
    }

    /**
     * An edge's outcome once its {@code from} node ended {@code status}: taken when its trigger
     * follows that end and its condition, if any, holds over {@code job}'s result.
     */
    private static EdgeOutcome resolve(WorkflowEdge edge, NodeStatus status, Job job) {
        if (status == NodeStatus.SKIPPED || status == NodeStatus.CANCELLED) {
            return new EdgeOutcome(EdgeOutcome.NOT_TAKEN, "node " + edge.from() + " " + status.wireName());
        }
        if (!edge.triggerOrDefault().follows(status)) {
            return new EdgeOutcome(EdgeOutcome.NOT_TAKEN, null);
        }
        if (edge.when() == null) {
            return new EdgeOutcome(EdgeOutcome.TAKEN, null);
        }
        Map<String, Object> variables = variables(job);
        if (job == null) {
            variables.put("status", status.wireName()); // an approval node's, or one whose launch was refused
        }
        Conditions.Outcome outcome = Conditions.evaluate(edge.when(), variables);
        if (outcome.error() != null) {
            return new EdgeOutcome(EdgeOutcome.ERROR, "its condition failed: " + outcome.error());
        }
        return new EdgeOutcome(outcome.holds() ? EdgeOutcome.TAKEN : EdgeOutcome.NOT_TAKEN,
                outcome.holds() ? null : "its condition did not hold");
    }

    /** A condition's variables: the result of {@code job}, or of a node that failed without one. */
    static Map<String, Object> variables(Job job) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("status", job == null ? JobStatus.FAILED.wireName() : job.getStatus().wireName());
        variables.put("exitCode", job == null || job.getExitCode() == null ? -1L : job.getExitCode().longValue());
        Map<String, Map<String, Long>> hostStats = new TreeMap<>();
        List<String> failedHosts = new ArrayList<>();
        SortedMap<String, HostStats> stats = job == null ? null : job.getHostStats();
        if (stats != null) {
            stats.forEach((host, line) -> {
                hostStats.put(host, Map.of("ok", (long) line.ok(), "changed", (long) line.changed(),
                        "failed", (long) line.failed(), "skipped", (long) line.skipped(),
                        "unreachable", (long) line.unreachable(), "rescued", (long) line.rescued(),
                        "ignored", (long) line.ignored()));
                if (line.failed() > 0 || line.unreachable() > 0) {
                    failedHosts.add(host);
                }
            });
        }
        variables.put("hostStats", hostStats);
        variables.put("failedHosts", failedHosts);
        variables.put("artifacts", HandedOn.conditionValues(job));
        return variables;
    }

    private static Readiness readiness(WorkflowRun run, String nodeId) {
        List<EdgeOutcome> incoming = new ArrayList<>();
        List<WorkflowEdge> edges = run.definition().edges();
        for (int i = 0; i < edges.size(); i++) {
            if (edges.get(i).to().equals(nodeId)) {
                incoming.add(run.edges().get(i));
            }
        }
        boolean anyTaken = incoming.stream().anyMatch(EdgeOutcome::isTaken);
        boolean allResolved = incoming.stream().allMatch(EdgeOutcome::isResolved);
        return switch (run.definition().node(nodeId).convergenceOrDefault()) {
            case ALL -> incoming.stream().anyMatch(edge -> edge.isResolved() && !edge.isTaken()) ? Readiness.NEVER
                    : allResolved ? Readiness.READY : Readiness.WAIT;
            case ANY -> anyTaken ? Readiness.READY : allResolved ? Readiness.NEVER : Readiness.WAIT;
        };
    }

    /**
     * Ends a run whose nodes have all ended: {@code completed} unless a node failed and none of
     * its {@code failure} or {@code always} edges was taken, or a condition could not be evaluated.
     */
    private void finish(WorkflowRun run, Map<String, RunNode> nodes, Job driver, Instant now) {
        List<WorkflowEdge> edges = run.definition().edges();
        List<String> unhandled = nodes.values().stream()
                .filter(node -> node.nodeStatus() == NodeStatus.FAILED)
                .map(RunNode::node)
                .filter(id -> !handled(run, id))
                .toList();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            if (run.edges().get(i).isError()) {
                errors.add(edges.get(i).from() + " -> " + edges.get(i).to());
            }
        }
        List<String> why = new ArrayList<>();
        if (!unhandled.isEmpty()) {
            why.add("failed with no failure edge taken: " + String.join(", ", unhandled));
        }
        if (!errors.isEmpty()) {
            why.add("conditions that could not be evaluated on " + String.join(", ", errors));
        }
        Optional<String> failure = why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
        run.end(failure.isEmpty() ? WorkflowRun.Status.COMPLETED : WorkflowRun.Status.FAILED, failure.orElse(null), now);
        record(driver, failure.isEmpty() ? JobEventType.WORKFLOW_COMPLETED : JobEventType.WORKFLOW_FAILED,
                "workflow run " + run.id() + " " + run.status() + failure.map(reason -> ": " + reason).orElse(""),
                run, null, now);
    }

    /** Whether a failed node's failure was handled: one of its failure or always edges was taken. */
    private static boolean handled(WorkflowRun run, String nodeId) {
        List<WorkflowEdge> edges = run.definition().edges();
        for (int i = 0; i < edges.size(); i++) {
            WorkflowEdge edge = edges.get(i);
            if (edge.from().equals(nodeId) && edge.triggerOrDefault() != Trigger.SUCCESS && run.edges().get(i).isTaken()) {
                return true;
            }
        }
        return false;
    }

    /** An event's data: the run, its workflow and, for a node's event, the node. */
    static String data(WorkflowRun run, String node) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("workflowRun", run.id());
        data.put("workflow", run.workflow());
        data.put("workflowVersion", run.workflowVersion());
        if (node != null) {
            data.put("node", node);
        }
        data.put("runStatus", run.status());
        return JsonColumns.write(data);
    }
}
