package io.charon.jobs.job;

/** Lifecycle event types, as stored in {@code job_events.type} and published on channels. */
public enum JobEventType {
    CREATED("job.created"),
    QUEUED("job.queued"),
    SCHEDULED("job.scheduled"),
    STARTED("job.started"),
    PROGRESS("job.progress"),
    COMPLETED("job.completed"),
    FAILED("job.failed"),
    CANCELLED("job.cancelled"),
    RETRIED("job.retried"),
    /** A queued job found waiting for hosts that running jobs hold; reported once per job. */
    BLOCKED("job.blocked"),
    TIMEOUT("job.timeout"),
    /** A schedule fired a slot: recorded on the job it launched. */
    SCHEDULE_FIRED("schedule.fired"),
    /** A schedule skipped a slot because its previous job had not ended: recorded on that job. */
    SCHEDULE_SKIPPED("schedule.skipped"),
    /** Slots of a schedule passed unhandled (an outage): recorded on the schedule's latest job. */
    SCHEDULE_MISSED("schedule.missed"),
    /** A workflow run began: recorded on the job of its first root node. */
    WORKFLOW_STARTED("workflow.started"),
    /** A workflow node's job was launched: recorded on that job. */
    WORKFLOW_NODE_STARTED("workflow.node.started"),
    /**
     * A workflow approval node waits for a decision: recorded on the job whose end made it wait,
     * else on the run's first root job (none when the run has no job yet).
     */
    WORKFLOW_NODE_WAITING("workflow.node.waiting"),
    /**
     * A workflow node ended: recorded on its job, or, when it has none, on the job whose end
     * decided it (an approval's decision: on the run's latest ended job).
     */
    WORKFLOW_NODE_COMPLETED("workflow.node.completed"),
    WORKFLOW_NODE_FAILED("workflow.node.failed"),
    /** A workflow node will never run: recorded on the job whose end decided it. */
    WORKFLOW_NODE_SKIPPED("workflow.node.skipped"),
    /** A workflow run ended: recorded on the job whose end (or cancellation) ended it. */
    WORKFLOW_COMPLETED("workflow.completed"),
    WORKFLOW_FAILED("workflow.failed"),
    WORKFLOW_CANCELLED("workflow.cancelled"),
    /** A failed workflow run was resumed: recorded on the run's latest ended job. */
    WORKFLOW_RESUMED("workflow.resumed");

    private final String wireName;

    JobEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The event that reports a job reaching a status. */
    public static JobEventType reporting(JobStatus status) {
        return switch (status) {
            case SCHEDULED -> SCHEDULED;
            case QUEUED -> QUEUED;
            case RUNNING -> STARTED;
            case COMPLETED -> COMPLETED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            case TIMEOUT -> TIMEOUT;
        };
    }
}
