package io.charon.jobs.template;

import io.charon.jobs.job.Actor;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobSpec;
import io.charon.jobs.job.Submitted;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.submission.JobSubmitter;
import io.charon.jobs.submission.SubmissionValidator;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Launches templates: checks a launch's parameters against the template's, merges them into the
 * job submission the template describes, and submits that as {@code POST /jobs} would, through
 * the same validation and the same submitter. The job records the template and its version.
 */
@ApplicationScoped
public class TemplateLauncher {

    private final Templates templates;
    private final SubmissionValidator validator;
    private final JobSubmitter submitter;

    public TemplateLauncher(Templates templates, SubmissionValidator validator, JobSubmitter submitter) {
        this.templates = templates;
        this.validator = validator;
        this.submitter = submitter;
    }

    /**
     * Launches the template for {@code actor}, once per idempotency key as {@code POST /jobs}.
     *
     * @throws TemplateNotFoundException no such template, or not one the actor may launch
     * @throws InvalidInputException with every bad parameter and every error of the merged job
     */
    public Submitted launch(String name, LaunchRequest launch, Actor actor, String idempotencyKey) {
        Template template = templates.get(name, actor.userId(), actor.seesAllJobs());
        JobSpec spec = spec(template.definition(), template.version(), launch);
        return submitter.submitValidated(spec, actor, idempotencyKey, note(name, template.version(), actor.userId()),
                AuditActions.TEMPLATE_LAUNCH, "template " + name + " version " + template.version());
    }

    /**
     * As {@link #launch}, in the caller's transaction, for a caller that records something else
     * with the job, atomically (a workflow's node); no idempotency key: the caller's own record
     * is what keeps it from launching twice.
     *
     * @param version the template's version to launch (a kept one), or null for its current one
     * @param handedOn variables under the template's own and the parameters': those win over them
     * @param note the message of the job's {@code job.created} event, after the template's
     * @param auditDetail what the audit trail adds to the template's name and version
     * @throws TemplateNotFoundException no such template or version, or not one the actor may launch
     * @throws InvalidInputException with every bad parameter and every error of the merged job
     */
    public Submitted launchInTransaction(String name, Integer version, LaunchRequest launch,
                                         Map<String, String> handedOn, Actor actor, String note, String auditDetail) {
        Template template = templates.get(name, actor.userId(), actor.seesAllJobs());
        int at = version == null ? template.version() : version;
        TemplateDefinition definition = at == template.version() ? template.definition()
                : templates.version(name, at, actor.userId(), actor.seesAllJobs()).definition();
        JobSpec spec = spec(definition, at, launch, handedOn);
        return submitter.submitInTransaction(spec, actor, null, note(name, at, actor.userId()) + ", " + note,
                AuditActions.TEMPLATE_LAUNCH, "template " + name + " version " + at + ", " + auditDetail);
    }

    /** What {@code actor} would run when launching {@code definition} at {@code version} with {@code launch}. */
    public JobSpec spec(TemplateDefinition definition, int version, LaunchRequest launch) {
        return spec(definition, version, launch, Map.of());
    }

    private JobSpec spec(TemplateDefinition definition, int version, LaunchRequest launch, Map<String, String> handedOn) {
        List<FieldError> errors = new ArrayList<>();
        ParameterSchema.Values values = ParameterSchema.values(definition.parameters(), launch.parameters(), errors);
        Map<String, String> variables = new LinkedHashMap<>(handedOn);
        variables.putAll(definition.variables() == null ? Map.of() : definition.variables());
        variables.putAll(values.variables());
        values.secretVariables().keySet().forEach(variables::remove); // a secret parameter overrides a default too
        JobSpec spec = null;
        try {
            spec = validator.validate(definition.submission(variables, values.secretVariables(), launch));
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return spec.fromTemplate(definition.name(), version);
    }

    static String note(String template, int version, String userId) {
        return "launched from template " + template + " version " + version + " by " + userId;
    }
}
