package io.charon.jobs.template;

import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.StoredNames;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.security.Ownership;
import io.charon.jobs.store.ConstraintViolations;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.Store;
import io.charon.jobs.submission.SubmissionValidator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored templates: create, read, list, replace and delete them, each change a new version kept
 * beside the template and audited in the same transaction. Admins manage them; those a template
 * allows may see and launch it; to anyone else it does not exist.
 */
@ApplicationScoped
public class Templates {

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final SubmissionValidator validator;

    public Templates(Store store, AuditTrail audit, Clock clock, SubmissionValidator validator) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.validator = validator;
    }

    /**
     * Creates the template at version 1.
     *
     * @throws InvalidInputException with every error in the definition
     * @throws TemplateConflictException a template of that name exists
     */
    public Template create(TemplateDefinition definition, String userId) {
        TemplateDefinition checked = checked(definition);
        Instant now = now();
        try {
            return RolledBackByConflict.retrying("a template's creation", () -> QuarkusTransaction.requiringNew()
                    .call(() -> {
                        if (store.session().find(Template.class, checked.name()) != null) {
                            throw taken(checked.name());
                        }
                        Template template = new Template(checked, userId, now);
                        store.session().persist(template);
                        store.session().persist(template.currentVersion());
                        audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.TEMPLATE_CREATE,
                                template.name(), describe(template))));
                        return template;
                    }));
        } catch (RuntimeException e) {
            if (ConstraintViolations.causedBy(e)) {
                throw taken(checked.name()); // created by another request at the same moment
            }
            throw e;
        }
    }

    /**
     * Replaces the template's definition, making its next version.
     *
     * @throws TemplateNotFoundException none of that name
     */
    public Template update(String name, TemplateDefinition definition, String userId) {
        TemplateDefinition checked = checked(definition.named(name));
        Instant now = now();
        return RolledBackByConflict.retrying("a template's update", () -> QuarkusTransaction.requiringNew().call(() -> {
            Template template = store.session().find(Template.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (template == null) {
                throw notFound(name);
            }
            store.session().persist(template.replace(checked, userId, now));
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.TEMPLATE_UPDATE, name,
                    describe(template))));
            return template;
        }));
    }

    /**
     * Deletes the template and its versions; the jobs launched from it keep what they ran.
     *
     * @throws TemplateNotFoundException none of that name
     * @throws TemplateConflictException a schedule launches it
     */
    public void delete(String name, String userId) {
        RolledBackByConflict.retrying("a template's deletion", () -> QuarkusTransaction.requiringNew().run(() -> {
            Template template = store.session().find(Template.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (template == null) {
                throw notFound(name);
            }
            // locked first: a schedule's check of its template either saw it whole or finds it gone
            List<?> schedules = store.session().createNativeQuery("SELECT name FROM schedules WHERE template = :name"
                    + " ORDER BY name", Object.class).setParameter("name", name).getResultList();
            if (!schedules.isEmpty()) {
                throw new TemplateConflictException("template " + name + " is launched by schedules "
                        + String.join(", ", schedules.stream().map(String::valueOf).toList())
                        + "; delete them or point them at another template first");
            }
            store.session().createMutationQuery("delete from TemplateVersion where key.name = :name")
                    .setParameter("name", name).executeUpdate();
            store.session().remove(template);
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.TEMPLATE_DELETE, name,
                    "at version " + template.version())));
        }));
    }

    /**
     * Locks the template in the caller's transaction, which stores a schedule of it: a deletion
     * of the template waits for that transaction and then finds the schedule; one that came first
     * leaves no template to lock. A schedule never names a template that is gone.
     *
     * @throws InvalidInputException ({@code template}) it is gone
     */
    public void lockForSchedule(String name) {
        if (store.session().find(Template.class, name, LockModeType.PESSIMISTIC_WRITE) == null) {
            throw new InvalidInputException("template", notFound(name).getMessage());
        }
    }

    /**
     * The template, if {@code userId} may launch it.
     *
     * @throws TemplateNotFoundException none of that name, or not one the user may launch
     */
    @ActivateRequestContext
    public Template get(String name, String userId, boolean admin) {
        Template template = store.session().find(Template.class, name);
        if (template == null || !template.launchableBy(userId, admin)) {
            throw notFound(name);
        }
        return template;
    }

    /** The templates {@code userId} may launch (every one for an admin), by name. */
    @ActivateRequestContext
    public List<Template> list(String userId, boolean admin) {
        return store.session().createSelectionQuery("from Template order by name", Template.class).getResultList()
                .stream().filter(template -> template.launchableBy(userId, admin)).toList();
    }

    /**
     * Every version of the template, oldest first, if {@code userId} may launch it.
     *
     * @throws TemplateNotFoundException none of that name, or not one the user may launch
     */
    @ActivateRequestContext
    public List<TemplateVersion> versions(String name, String userId, boolean admin) {
        get(name, userId, admin);
        return store.session().createSelectionQuery("from TemplateVersion where key.name = :name order by key.version",
                TemplateVersion.class).setParameter("name", name).getResultList();
    }

    /**
     * One version of the template, if {@code userId} may launch the template.
     *
     * @throws TemplateNotFoundException no such template or version, or not one the user may launch
     */
    @ActivateRequestContext
    public TemplateVersion version(String name, int version, String userId, boolean admin) {
        get(name, userId, admin);
        TemplateVersion found = store.session().find(TemplateVersion.class, new TemplateVersion.Key(name, version));
        if (found == null) {
            throw new TemplateNotFoundException("template " + name + " has no version " + version);
        }
        return found;
    }

    /**
     * The definition if it is sound, with every error otherwise: its name, its parameters, who
     * may launch it, and its job fields as a submission would check them, the parameters standing
     * in as variables (a parameter that breaks a rule of variables is reported as the parameter).
     */
    private TemplateDefinition checked(TemplateDefinition definition) {
        if (definition == null) {
            throw new InvalidInputException("body", "a JSON object describing the template is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (definition.name() == null || !StoredNames.NAME.matcher(definition.name()).matches()) {
            errors.add(new FieldError("name", StoredNames.RULE));
        }
        List<String> allowed = Ownership.sharedWith("allowedUsers", definition.allowedUsers(), errors);
        errors.addAll(ParameterSchema.check(definition.parameters()));
        Map<String, String> variables = new LinkedHashMap<>(definition.variables() == null ? Map.of() : definition.variables());
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> parameterAt = new HashMap<>();
        for (int i = 0; i < definition.parameters().size(); i++) {
            TemplateParameter parameter = definition.parameters().get(i);
            if (parameter != null && parameter.name() != null && !parameter.name().isEmpty()) {
                boolean secret = ParameterType.SECRET.wireName().equals(parameter.type());
                (secret ? secrets : variables).put(parameter.name(), "");
                parameterAt.put((secret ? "secretVariables." : "variables.") + parameter.name(), "parameters[" + i + "].name");
            }
        }
        try {
            validator.validate(definition.submission(variables, secrets, LaunchRequest.NONE));
        } catch (InvalidInputException e) {
            for (FieldError error : e.errors()) {
                String field = parameterAt.getOrDefault(error.field(), error.field());
                if (errors.stream().noneMatch(reported -> reported.field().equals(field))) {
                    errors.add(new FieldError(field, error.reason())); // a bad name is told once
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new TemplateDefinition(definition.name(), definition.description(), definition.type(),
                definition.priority(), definition.playbook(), definition.inventory(), definition.inventoryRef(),
                definition.limit(), definition.credentials(), definition.variables(), definition.timeout(),
                definition.maxRetries(), definition.retryDelay(), definition.tags(), definition.queue(),
                definition.hostLock(), definition.retryScope(), definition.retryOn(), definition.startDeadline(),
                definition.idleTimeout(), definition.parameters(), allowed);
    }

    private static String describe(Template template) {
        List<String> allowed = template.definition().allowedUsers();
        return "version " + template.version() + ", playbook " + template.definition().playbook() + ", "
                + template.definition().parameters().size() + " parameters, "
                + (allowed.isEmpty() ? "launched by any operator" : "launched by " + String.join(", ", allowed));
    }

    static TemplateNotFoundException notFound(String name) {
        return new TemplateNotFoundException("no template named " + name);
    }

    private static TemplateConflictException taken(String name) {
        return new TemplateConflictException("a template named " + name + " exists already");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
