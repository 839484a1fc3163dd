package io.charon.jobs.messaging;

import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Sends job requests to the {@code job-requests} channel from code in this process, when no
 * broker is configured: the same path, validation and dead letters as broker messages.
 */
@ApplicationScoped
public class LocalJobRequests {

    private final UnicastProcessor<Message<?>> requests = UnicastProcessor.create();

    /**
     * Sends a job request (the JSON of {@code POST /api/v1/jobs}); completes once it is stored
     * as a job or dead-lettered, fails if it could not be handled.
     *
     * @param idempotencyKey null for none
     */
    public CompletionStage<Void> request(byte[] json, String idempotencyKey) {
        CompletableFuture<Void> handled = new CompletableFuture<>();
        requests.onNext(Confirmations.reporting(Message.of(json).addMetadata(new JobRequestMetadata(idempotencyKey)),
                handled));
        return handled;
    }

    Flow.Publisher<Message<?>> publisher() {
        return requests;
    }
}
