package io.charon.jobs.workflow;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of a run: its status, the job it launched or the decision of its approval (and until
 * when it waits for one), why it failed or was skipped, and its earlier attempts when a resume set
 * it back.
 */
@Entity
@Table(name = "workflow_run_nodes")
public class RunNode {

    /** A run's id and a node's id in its definition. */
    @Embeddable
    public record Key(@Column(name = "run_id", nullable = false) String runId,
                      @Column(nullable = false) String node) implements Serializable {
    }

    @EmbeddedId
    Key key;

    @Column(nullable = false)
    String status;

    @Column(name = "job_id")
    String jobId;

    String message;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    /** While an approval node waits: when its timeout passes (none without a timeout). */
    @Column(name = "waiting_until")
    Instant waitingUntil;

    @Convert(converter = WorkflowColumns.Decisions.class)
    Decision decision;

    /** The attempts a resume set back, oldest first. */
    @Convert(converter = WorkflowColumns.NodeAttempts.class)
    @Column(name = "previous")
    List<NodeAttempt> previous = List.of();

    protected RunNode() {
    }

    RunNode(String runId, String node, Instant now) {
        this.key = new Key(runId, node);
        this.status = NodeStatus.PENDING.wireName();
        this.updatedAt = now;
    }

    NodeStatus nodeStatus() {
        return NodeStatus.fromWireName(status);
    }

    void started(String job, Instant now) {
        this.jobId = job;
        moveTo(NodeStatus.STARTED, null, now);
    }

    /** An approval node's turn has come: it waits for a decision, until {@code until} if it has a timeout. */
    void await(Instant until, Instant now) {
        this.waitingUntil = until;
        moveTo(NodeStatus.WAITING, null, now);
    }

    /** An approval node's decision: approved completes it, denied fails it. */
    void decide(Decision decision, String why, Instant now) {
        this.decision = decision;
        moveTo(decision.approved() ? NodeStatus.COMPLETED : NodeStatus.FAILED, why, now);
    }

    /** Sets the node back to pending for a resume, keeping how it ended among its earlier attempts. */
    void reset(Instant now) {
        List<NodeAttempt> attempts = new ArrayList<>(previous);
        attempts.add(new NodeAttempt(status, message, jobId, decision, updatedAt.toString()));
        previous = List.copyOf(attempts); // replaced whole: the column is compared, not tracked in place
        jobId = null;
        decision = null;
        moveTo(NodeStatus.PENDING, null, now);
    }

    void moveTo(NodeStatus next, String why, Instant now) {
        if (next != NodeStatus.WAITING) {
            this.waitingUntil = null; // the sweep of timeouts looks only at waiting nodes
        }
        this.status = next.wireName();
        this.message = why;
        this.updatedAt = now;
    }

    public String node() {
        return key.node();
    }

    public String status() {
        return status;
    }

    public String jobId() {
        return jobId;
    }

    public String message() {
        return message;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant waitingUntil() {
        return waitingUntil;
    }

    public Decision decision() {
        return decision;
    }

    public List<NodeAttempt> previous() {
        return previous;
    }
}
