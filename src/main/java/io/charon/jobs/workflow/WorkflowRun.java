package io.charon.jobs.workflow;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of a workflow: the definition it was launched with (a later change or deletion of the
 * workflow leaves it alone), who launched it and with which rights its nodes' jobs are launched,
 * its status, and what became of each edge. Its nodes are {@link RunNode} rows. Every change of a
 * run happens with its row locked, in the transaction of the job's end (or the cancel) behind it.
 */
@Entity
@Table(name = "workflow_runs")
public class WorkflowRun {

    /** A run's status: running until every node ended. */
    public enum Status {
        RUNNING, COMPLETED, FAILED, CANCELLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Id
    String id;

    @Column(nullable = false)
    String workflow;

    @Column(name = "workflow_version", nullable = false)
    int workflowVersion;

    @Convert(converter = WorkflowColumns.Definition.class)
    @Column(nullable = false)
    WorkflowDefinition definition;

    /**
     * The version of each template its nodes launch, read when it was launched: a node launches
     * that version whenever its turn comes, so what a plan showed is what its apply runs.
     */
    @Convert(converter = WorkflowColumns.TemplateVersions.class)
    @Column(name = "template_versions", nullable = false)
    Map<String, Integer> templateVersions = Map.of();

    @Column(nullable = false)
    String status;

    @Column(name = "user_id", nullable = false)
    String userId;

    /** Whether its launcher was an admin: its jobs are launched with those rights. */
    @Column(name = "launched_by_admin", nullable = false)
    boolean launchedByAdmin;

    /** One outcome per edge of the definition, in its order. */
    @Convert(converter = WorkflowColumns.EdgeOutcomes.class)
    @Column(nullable = false)
    List<EdgeOutcome> edges;

    String message;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "ended_at")
    Instant endedAt;

    /** 1, and one more at each resume. */
    @Column(nullable = false)
    int attempt = 1;

    /** Each resume, oldest first. */
    @Convert(converter = WorkflowColumns.Resumes.class)
    @Column(nullable = false)
    List<Resume> resumes = List.of();

    protected WorkflowRun() {
    }

    WorkflowRun(String id, Workflow workflow, Map<String, Integer> templateVersions, String userId,
                boolean launchedByAdmin, Instant now) {
        this.id = id;
        this.workflow = workflow.name();
        this.workflowVersion = workflow.version();
        this.definition = workflow.definition();
        this.templateVersions = Map.copyOf(templateVersions);
        this.status = Status.RUNNING.wireName();
        this.userId = userId;
        this.launchedByAdmin = launchedByAdmin;
        this.edges = definition.edges().stream().map(edge -> EdgeOutcome.WAITING).toList();
        this.createdAt = now;
    }

    boolean isRunning() {
        return Status.RUNNING.wireName().equals(status);
    }

    void setEdge(int index, EdgeOutcome outcome) {
        List<EdgeOutcome> changed = new ArrayList<>(edges);
        changed.set(index, outcome);
        edges = List.copyOf(changed); // replaced whole: the column is compared, not tracked in place
    }

    void end(Status ending, String why, Instant now) {
        status = ending.wireName();
        message = why;
        endedAt = now;
    }

    /** Runs a failed run again: a new attempt, recorded with how the last one ended and the nodes set back. */
    void resume(String by, List<String> reset, Instant now) {
        attempt++;
        List<Resume> all = new ArrayList<>(resumes);
        all.add(new Resume(attempt, now.toString(), by, endedAt == null ? null : endedAt.toString(), message, reset));
        resumes = List.copyOf(all); // replaced whole: the column is compared, not tracked in place
        status = Status.RUNNING.wireName();
        message = null;
        endedAt = null;
    }

    boolean hasFailed() {
        return Status.FAILED.wireName().equals(status);
    }

    /** Whether {@code userId} is an approver of one of its approval nodes. */
    boolean listsApprover(String userId) {
        return definition.nodes().stream().anyMatch(node -> node.awaitsApproval() && node.approval().lists(userId));
    }

    public int attempt() {
        return attempt;
    }

    public List<Resume> resumes() {
        return resumes;
    }

    public String id() {
        return id;
    }

    public String workflow() {
        return workflow;
    }

    public int workflowVersion() {
        return workflowVersion;
    }

    public Map<String, Integer> templateVersions() {
        return templateVersions;
    }

    public WorkflowDefinition definition() {
        return definition;
    }

    public String status() {
        return status;
    }

    public String userId() {
        return userId;
    }

    public List<EdgeOutcome> edges() {
        return edges;
    }

    public String message() {
        return message;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant endedAt() {
        return endedAt;
    }
}
