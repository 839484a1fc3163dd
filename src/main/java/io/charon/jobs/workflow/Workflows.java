package io.charon.jobs.workflow;

import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.ConstraintViolations;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Stored workflows: create, read, list, replace and delete them, each change a new version kept
 * beside the workflow and audited in the same transaction. Admins manage them; those a workflow
 * allows may see and launch it; to anyone else it does not exist.
 */
@ApplicationScoped
public class Workflows {

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final WorkflowChecks checks;

    public Workflows(Store store, AuditTrail audit, Clock clock, WorkflowChecks checks) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.checks = checks;
    }

    /**
     * Creates the workflow at version 1.
     *
     * @throws io.charon.jobs.job.InvalidInputException with every problem of the definition
     * @throws WorkflowConflictException a workflow of that name exists
     */
    public Workflow create(WorkflowDefinition definition, String userId) {
        WorkflowDefinition checked = checks.checked(definition);
        Instant now = now();
        try {
            return RolledBackByConflict.retrying("a workflow's creation", () -> QuarkusTransaction.requiringNew()
                    .call(() -> {
                        if (store.session().find(Workflow.class, checked.name()) != null) {
                            throw taken(checked.name());
                        }
                        Workflow workflow = new Workflow(checked, userId, now);
                        store.session().persist(workflow);
                        store.session().persist(workflow.currentVersion());
                        audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.WORKFLOW_CREATE,
                                workflow.name(), describe(workflow))));
                        return workflow;
                    }));
        } catch (RuntimeException e) {
            if (ConstraintViolations.causedBy(e)) {
                throw taken(checked.name()); // created by another request at the same moment
            }
            throw e;
        }
    }

    /**
     * Replaces the workflow's definition, making its next version; runs under way keep theirs.
     *
     * @throws WorkflowNotFoundException none of that name
     */
    public Workflow update(String name, WorkflowDefinition definition, String userId) {
        WorkflowDefinition checked = checks.checked(definition == null ? null : definition.named(name));
        Instant now = now();
        return RolledBackByConflict.retrying("a workflow's update", () -> QuarkusTransaction.requiringNew().call(() -> {
            Workflow workflow = store.session().find(Workflow.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (workflow == null) {
                throw notFound(name);
            }
            store.session().persist(workflow.replace(checked, userId, now));
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.WORKFLOW_UPDATE, name,
                    describe(workflow))));
            return workflow;
        }));
    }

    /**
     * Deletes the workflow and its versions; its runs, under way or ended, keep their definitions.
     *
     * @throws WorkflowNotFoundException none of that name
     */
    public void delete(String name, String userId) {
        RolledBackByConflict.retrying("a workflow's deletion", () -> QuarkusTransaction.requiringNew().run(() -> {
            Workflow workflow = store.session().find(Workflow.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (workflow == null) {
                throw notFound(name);
            }
            store.session().createMutationQuery("delete from WorkflowVersion where key.name = :name")
                    .setParameter("name", name).executeUpdate();
            store.session().remove(workflow);
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.WORKFLOW_DELETE, name,
                    "at version " + workflow.version())));
        }));
    }

    /**
     * The workflow, if {@code userId} may launch it.
     *
     * @throws WorkflowNotFoundException none of that name, or not one the user may launch
     */
    @ActivateRequestContext
    public Workflow get(String name, String userId, boolean admin) {
        Workflow workflow = store.session().find(Workflow.class, name);
        if (workflow == null || !workflow.launchableBy(userId, admin)) {
            throw notFound(name);
        }
        return workflow;
    }

    /** The workflows {@code userId} may launch (every one for an admin), by name. */
    @ActivateRequestContext
    public List<Workflow> list(String userId, boolean admin) {
        return store.session().createSelectionQuery("from Workflow order by name", Workflow.class).getResultList()
                .stream().filter(workflow -> workflow.launchableBy(userId, admin)).toList();
    }

    /**
     * Every version of the workflow, oldest first, if {@code userId} may launch it.
     *
     * @throws WorkflowNotFoundException none of that name, or not one the user may launch
     */
    @ActivateRequestContext
    public List<WorkflowVersion> versions(String name, String userId, boolean admin) {
        get(name, userId, admin);
        return store.session().createSelectionQuery("from WorkflowVersion where key.name = :name order by key.version",
                WorkflowVersion.class).setParameter("name", name).getResultList();
    }

    private static String describe(Workflow workflow) {
        List<String> allowed = workflow.definition().allowedUsers();
        return "version " + workflow.version() + ", " + workflow.definition().nodes().size() + " nodes, "
                + workflow.definition().edges().size() + " edges, "
                + (allowed.isEmpty() ? "launched by any operator" : "launched by " + String.join(", ", allowed));
    }

    static WorkflowNotFoundException notFound(String name) {
        return new WorkflowNotFoundException("no workflow named " + name);
    }

    private static WorkflowConflictException taken(String name) {
        return new WorkflowConflictException("a workflow named " + name + " exists already");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
