package io.charon.jobs.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.config.EventsConfig;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.IdempotencyConflictException;
import io.charon.jobs.submission.IdempotencyKeys;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.submission.JobSubmitter;
import io.charon.jobs.submission.SubmissionParser;
import io.charon.jobs.job.Submitted;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Jobs arriving as messages on the {@code job-requests} channel, in the JSON of
 * {@code POST /api/v1/jobs}. A message is acknowledged only once its job is committed; one that
 * is invalid (or reuses an idempotency key for another request) goes to the dead-letter channel
 * {@code job-request-rejects} with its errors, and is acknowledged once that is confirmed.
 * Anything else (the store unavailable) is negatively acknowledged, so the broker delivers it
 * again. The idempotency key is the {@code Idempotency-Key} header, else the message id: a
 * redelivered message finds the job its first delivery created.
 */
@ApplicationScoped
public class JobRequestIntake {

    private static final Logger LOG = Logger.getLogger(JobRequestIntake.class);
    public static final String REASON_HEADER = "x-charon-reason";
    public static final String ERRORS_HEADER = "x-charon-errors";

    private final JobSubmitter jobs;
    private final SubmissionParser parser;
    private final EventsConfig config;
    private final ObjectMapper json;
    private final Emitter<byte[]> rejects;

    public JobRequestIntake(JobSubmitter jobs, SubmissionParser parser, EventsConfig config, ObjectMapper json,
                            @Channel("job-request-rejects") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                            Emitter<byte[]> rejects) {
        this.jobs = jobs;
        this.parser = parser;
        this.config = config;
        this.json = json;
        this.rejects = rejects;
    }

    @Incoming("job-requests")
    @Blocking(ordered = false)
    public CompletionStage<Void> receive(Message<?> message) {
        byte[] body = message.getPayload() instanceof byte[] bytes ? bytes
                : String.valueOf(message.getPayload()).getBytes(StandardCharsets.UTF_8);
        String key = null;
        try {
            key = IdempotencyKeys.validated(idempotencyKey(message));
            Submitted submitted = jobs.submit(parser.parse(body), config.intakeUser(), key);
            LOG.debugf("job request stored as job %s%s", submitted.job().getId(), submitted.created() ? "" : " (a repeat)");
            return message.ack();
        } catch (InvalidInputException e) {
            return deadLetter(message, new RejectedJobRequest(body, e.getMessage(), e.errors(), key));
        } catch (IdempotencyConflictException e) {
            return deadLetter(message, new RejectedJobRequest(body, e.getMessage(),
                    List.of(new FieldError(IdempotencyKeys.HEADER, "was used for a different request")), key));
        } catch (RuntimeException e) {
            LOG.warnf("job request not handled, left to be delivered again: %s", e.getMessage());
            return message.nack(e);
        }
    }

    private static String idempotencyKey(Message<?> message) {
        Optional<JobRequestMetadata> local = message.getMetadata(JobRequestMetadata.class);
        if (local.isPresent()) {
            return local.get().idempotencyKey();
        }
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .flatMap(rabbit -> rabbit.getHeaders().entrySet().stream()
                        .filter(header -> header.getKey().equalsIgnoreCase(IdempotencyKeys.HEADER))
                        .map(header -> String.valueOf(header.getValue()))
                        .findFirst()
                        .or(rabbit::getMessageId))
                .orElse(null);
    }

    /** Sends the rejected request to the dead letters; the original is acknowledged once they have it. */
    private CompletionStage<Void> deadLetter(Message<?> original, RejectedJobRequest rejection) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        OutgoingRabbitMQMetadata.Builder headers = new OutgoingRabbitMQMetadata.Builder()
                .withContentType("application/json")
                .withHeader(REASON_HEADER, rejection.reason())
                .withHeader(ERRORS_HEADER, errorsJson(rejection.errors()));
        if (rejection.idempotencyKey() != null) {
            headers.withHeader(IdempotencyKeys.HEADER, rejection.idempotencyKey());
        }
        rejects.send(Confirmations.reporting(Message.of(rejection.body(), Metadata.of(rejection, headers.build())),
                confirmed));
        return confirmed.thenCompose(sent -> original.ack()).exceptionallyCompose(original::nack);
    }

    private String errorsJson(List<FieldError> errors) {
        try {
            return json.writeValueAsString(errors.stream().map(e -> Map.of("field", e.field(), "reason", e.reason())).toList());
        } catch (JsonProcessingException e) {
            return "[]";
        }
    }
}
