package io.charon.jobs.workflow;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** One node of a run: its status, the job it launched, and why it failed or was skipped. */
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

    void moveTo(NodeStatus next, String why, Instant now) {
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
}
