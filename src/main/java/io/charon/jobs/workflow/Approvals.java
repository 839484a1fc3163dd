package io.charon.jobs.workflow;

import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.job.Actor;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decisions of approval nodes: an approver's (or an admin's) approve or deny, and the timeout's
 * deny. Each locks the run's row, finds the node still waiting, stores the decision, takes the
 * step it decides and audits it, in one transaction: of two decisions at once, on one replica or
 * two, the second finds the node decided.
 */
@ApplicationScoped
public class Approvals {

    private final Store store;
    private final WorkflowRuns runs;
    private final RunAdvance advance;
    private final EventRecorder events;
    private final AuditTrail audit;

    public Approvals(Store store, WorkflowRuns runs, RunAdvance advance, EventRecorder events, AuditTrail audit) {
        this.store = store;
        this.runs = runs;
        this.advance = advance;
        this.events = events;
        this.audit = audit;
    }

    /**
     * Approves or denies the waiting approval node {@code nodeId} of run {@code id}, as
     * {@code actor}: one of the node's approvers, or an admin.
     *
     * @throws InvalidInputException the comment is too long
     * @throws WorkflowNotFoundException no such run or node, or a run the actor may not see
     * @throws ForbiddenException the actor sees the run but may not decide this node
     * @throws WorkflowConflictException the node is no approval, or not waiting, or the run ended
     */
    public WorkflowRuns.RunDetails decide(String id, String nodeId, boolean approve, String comment, Actor actor) {
        if (comment != null && comment.length() > Decision.MAX_COMMENT) {
            throw new InvalidInputException("comment", "must be at most " + Decision.MAX_COMMENT + " characters");
        }
        runs.get(id, actor);
        RolledBackByConflict.retrying("an approval's decision", () -> QuarkusTransaction.requiringNew().run(() -> {
            WorkflowRun run = store.session().find(WorkflowRun.class, id, LockModeType.PESSIMISTIC_WRITE);
            WorkflowNode node = run.definition().find(nodeId).orElseThrow(() -> new WorkflowNotFoundException(
                    "workflow run " + id + " has no node " + nodeId));
            if (!node.awaitsApproval()) {
                throw new WorkflowConflictException("node " + nodeId + " launches a template: only approval nodes"
                        + " are decided");
            }
            if (!actor.seesAllJobs() && !node.approval().lists(actor.userId())) {
                throw new ForbiddenException("only the approvers of node " + nodeId + " (" + String.join(", ",
                        node.approval().approvers()) + ") or an admin may decide it");
            }
            Map<String, RunNode> nodes = advance.nodes(run);
            RunNode state = waiting(run, nodes, nodeId);
            Instant now = events.now();
            Decision decision = Decision.byUser(approve, actor.userId(), now, comment);
            advance.decide(run, nodes, state, decision, decision.result() + " by " + actor.userId(), now);
            audit.recordInTransaction(List.of(AuditEntry.success(actor.userId(), approve ? AuditActions.WORKFLOW_APPROVE
                    : AuditActions.WORKFLOW_DENY, id, "node " + nodeId + " of workflow " + run.workflow()
                    + (comment == null || comment.isBlank() ? "" : ": " + comment))));
        }));
        return runs.get(id, actor);
    }

    /**
     * Denies node {@code nodeId} of run {@code id} if it still waits and its timeout has passed by
     * {@code now}; false when another transaction (a decision, a cancel, another replica's sweep)
     * came first.
     */
    boolean expire(String id, String nodeId, Instant now) {
        return RolledBackByConflict.retrying("an approval's timeout", () -> QuarkusTransaction.requiringNew().call(() -> {
            WorkflowRun run = store.session().find(WorkflowRun.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (run == null || !run.isRunning()) {
                return false;
            }
            Map<String, RunNode> nodes = advance.nodes(run);
            RunNode state = nodes.get(nodeId);
            if (state == null || state.nodeStatus() != NodeStatus.WAITING || state.waitingUntil() == null
                    || state.waitingUntil().isAfter(now)) {
                return false;
            }
            String timeout = run.definition().node(nodeId).approval().timeout();
            Decision decision = Decision.timedOut(now, timeout);
            advance.decide(run, nodes, state, decision, decision.comment(), now);
            audit.recordInTransaction(List.of(AuditEntry.success(Decision.SYSTEM, AuditActions.WORKFLOW_DENY, id,
                    "node " + nodeId + " of workflow " + run.workflow() + ": no decision within " + timeout)));
            return true;
        }));
    }

    /** The node's state if it waits for a decision in a run under way. */
    private static RunNode waiting(WorkflowRun run, Map<String, RunNode> nodes, String nodeId) {
        if (!run.isRunning()) {
            throw new WorkflowConflictException("workflow run " + run.id() + " already ended " + run.status());
        }
        RunNode state = nodes.get(nodeId);
        if (state.nodeStatus() != NodeStatus.WAITING) {
            throw new WorkflowConflictException("node " + nodeId + " is " + state.status() + ", not waiting for a"
                    + " decision" + (state.decision() == null ? "" : ": " + state.decision().result() + " by "
                    + state.decision().by()));
        }
        return state;
    }
}
