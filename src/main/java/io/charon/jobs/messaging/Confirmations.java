package io.charon.jobs.messaging;

import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;

/** Messages whose acknowledgement the sender waits for. */
final class Confirmations {

    private Confirmations() {
    }

    /** {@code message}, completing {@code confirmed} when it is acknowledged and failing it when nacked. */
    static <T> Message<T> reporting(Message<T> message, CompletableFuture<Void> confirmed) {
        return message
                .withAck(() -> {
                    confirmed.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    confirmed.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
    }
}
