package io.charon.jobs.api;

import io.charon.jobs.credential.CredentialConflictException;
import io.charon.jobs.credential.CredentialNotFoundException;
import io.charon.jobs.credential.KeyCheckUnavailableException;
import io.charon.jobs.inventory.InventoryConflictException;
import io.charon.jobs.inventory.InventoryNotFoundException;
import io.charon.jobs.job.IdempotencyConflictException;
import io.charon.jobs.job.IllegalTransitionException;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobConflictException;
import io.charon.jobs.job.JobNotFoundException;
import io.charon.jobs.schedule.ScheduleConflictException;
import io.charon.jobs.schedule.ScheduleNotFoundException;
import io.charon.jobs.template.TemplateConflictException;
import io.charon.jobs.template.TemplateNotFoundException;
import io.charon.jobs.workflow.WorkflowConflictException;
import io.charon.jobs.workflow.WorkflowNotFoundException;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.security.TokenConflictException;
import io.charon.jobs.security.TokenNotFoundException;
import io.charon.jobs.store.StoreUnavailable;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/** Every error leaves the API as problem+json; never a stack trace or a class name. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** How long a client is asked to wait before it repeats a request the store could not take. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final AuditTrail audit;
    private final CurrentUser user;

    public ProblemMappers(AuditTrail audit, CurrentUser user) {
        this.audit = audit;
        this.user = user;
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        return Problem.response(400, "invalid-request", "Invalid request", e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e) {
        return Problem.response(404, "job-not-found", "Job not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response conflict(JobConflictException e) {
        return Problem.response(409, "job-conflict", "Not possible in the job's current status", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e) {
        return Problem.response(409, "idempotency-key-reused", "Idempotency key already used", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response illegalTransition(IllegalTransitionException e) {
        return Problem.response(409, "illegal-transition", "Not possible in the job's current status",
                e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response stopping(ServiceStoppingException e) {
        return Response.fromResponse(Problem.response(503, "service-stopping", "Service stopping", e.getMessage(), null))
                .header("Retry-After", ServiceStoppingException.RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response tokenNotFound(TokenNotFoundException e) {
        return Problem.response(404, "token-not-found", "Token not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response tokenConflict(TokenConflictException e) {
        return Problem.response(409, "token-conflict", "Not possible for this token", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response credentialNotFound(CredentialNotFoundException e) {
        return Problem.response(404, "credential-not-found", "Credential not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response credentialConflict(CredentialConflictException e) {
        return Problem.response(409, "credential-conflict", "Not possible for this credential", e.getMessage(), null);
    }

    /** ssh-agent or ssh-add failed on this host: logged, for the cause is the host's, not the request's. */
    @ServerExceptionMapper
    public Response keyCheckUnavailable(KeyCheckUnavailableException e) {
        LOG.error("an ssh key could not be checked", e);
        return Response.fromResponse(Problem.response(503, "key-check-unavailable", "Service Unavailable",
                        "the private key cannot be checked on the service's host now; repeat the request later", null))
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response inventoryNotFound(InventoryNotFoundException e) {
        return Problem.response(404, "inventory-not-found", "Inventory not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response inventoryConflict(InventoryConflictException e) {
        return Problem.response(409, "inventory-conflict", "Not possible for this inventory", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response templateNotFound(TemplateNotFoundException e) {
        return Problem.response(404, "template-not-found", "Template not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response templateConflict(TemplateConflictException e) {
        return Problem.response(409, "template-conflict", "Not possible for this template", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response scheduleNotFound(ScheduleNotFoundException e) {
        return Problem.response(404, "schedule-not-found", "Schedule not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response scheduleConflict(ScheduleConflictException e) {
        return Problem.response(409, "schedule-conflict", "Not possible for this schedule", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response workflowNotFound(WorkflowNotFoundException e) {
        return Problem.response(404, "workflow-not-found", "Workflow not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response workflowConflict(WorkflowConflictException e) {
        return Problem.response(409, "workflow-conflict", "Not possible for this workflow", e.getMessage(), null);
    }

    /** No token where one is needed (a bad token is refused before the request gets here). */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(Problem.response(Problem.unauthorized()))
                .header(BearerAuthentication.WWW_AUTHENTICATE, BearerAuthentication.CHALLENGE).build();
    }

    /** A valid token whose role does not allow the request; audited. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        String detail = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                : "the token's role does not allow this request";
        audit.recordLater(new AuditEntry(0, null, user.id(), AuditActions.AUTHORIZATION,
                RequestLine.of(request.method().name(), request.path()), AuditEntry.DENIED, detail,
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress()));
        return Problem.response(Problem.forbidden(detail));
    }

    /** Framework errors: unknown path, wrong method, unacceptable media type, bad parameter. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return Problem.response(status, "internal-error", Problem.ofStatus(status).title(),
                    "the request could not be completed", null);
        }
        return Problem.response(Problem.ofStatus(status));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        if (StoreUnavailable.causedBy(e)) {
            return storeUnavailable(e);
        }
        LOG.error("unexpected error while handling a request", e);
        return Problem.response(500, "internal-error", "Internal error", "the request could not be completed", null);
    }

    /**
     * The store cannot take the request now (its file is not writable, its disk is full, the
     * database is unreachable): the request may be repeated, and will succeed once the cause is
     * gone. Not logged per request: the store's readiness check reports the cause, and the
     * dispatcher logs it at a bounded rate.
     */
    private static Response storeUnavailable(Throwable e) {
        LOG.debugf("request refused, the store is unavailable: %s", e.getMessage());
        return Response.fromResponse(Problem.response(503, "store-unavailable", "Service Unavailable",
                        "the store cannot take this request right now; repeat it later", null))
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
}
