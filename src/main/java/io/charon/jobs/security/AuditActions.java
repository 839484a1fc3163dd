package io.charon.jobs.security;

/** The {@code action} names of the audit trail. */
public final class AuditActions {

    public static final String JOB_SUBMIT = "job.submit";
    public static final String JOB_CANCEL = "job.cancel";
    public static final String JOB_RELAUNCH = "job.relaunch";
    public static final String WORKERS_RESIZE = "workers.resize";
    public static final String QUEUE_CHANGE = "queue.change";
    public static final String TOKEN_CREATE = "token.create";
    public static final String TOKEN_REVOKE = "token.revoke";
    public static final String CREDENTIAL_CREATE = "credential.create";
    public static final String CREDENTIAL_UPDATE = "credential.update";
    public static final String CREDENTIAL_DELETE = "credential.delete";
    public static final String INVENTORY_CREATE = "inventory.create";
    public static final String INVENTORY_UPDATE = "inventory.update";
    public static final String INVENTORY_DELETE = "inventory.delete";
    /** host keys a run found under {@code accept-new}, recorded into its inventory */
    public static final String INVENTORY_LEARN_HOST_KEYS = "inventory.learn-host-keys";
    public static final String TEMPLATE_CREATE = "template.create";
    public static final String TEMPLATE_UPDATE = "template.update";
    public static final String TEMPLATE_DELETE = "template.delete";
    /** a job launched from a template */
    public static final String TEMPLATE_LAUNCH = "template.launch";
    public static final String SCHEDULE_CREATE = "schedule.create";
    public static final String SCHEDULE_UPDATE = "schedule.update";
    public static final String SCHEDULE_DELETE = "schedule.delete";
    /** a job launched by a schedule for one of its slots */
    public static final String SCHEDULE_FIRE = "schedule.fire";
    public static final String WORKFLOW_CREATE = "workflow.create";
    public static final String WORKFLOW_UPDATE = "workflow.update";
    public static final String WORKFLOW_DELETE = "workflow.delete";
    /** a workflow run launched; each of its nodes' jobs is audited as a template launch */
    public static final String WORKFLOW_LAUNCH = "workflow.launch";
    public static final String WORKFLOW_CANCEL = "workflow.cancel";
    /** an approval node's decision; a timeout is audited as a deny by {@code system} */
    public static final String WORKFLOW_APPROVE = "workflow.approve";
    public static final String WORKFLOW_DENY = "workflow.deny";
    public static final String WORKFLOW_RESUME = "workflow.resume";
    /** a request with a token that is unknown, revoked, expired or malformed */
    public static final String AUTHENTICATION = "authentication";
    /** an authenticated request whose role does not allow what it asked */
    public static final String AUTHORIZATION = "authorization";

    private AuditActions() {
    }
}
