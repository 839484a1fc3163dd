package io.charon.jobs.api;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Server-Sent Event streams this instance serves. When the service begins to stop, each
 * ends at once with a last {@value #STOPPING_EVENT} message, which has no id, so a client
 * resumes elsewhere (another replica, or this one after its restart) with the id of the last
 * message it received. An open stream would otherwise hold up the HTTP layer's shutdown until
 * {@code quarkus.shutdown.timeout}.
 */
@ApplicationScoped
public class OpenStreams {

    /** The name of the last message of a stream that ends because the service stops. */
    public static final String STOPPING_EVENT = "service.stopping";
    /** How long an EventSource client waits before it reconnects (the SSE {@code retry} field). */
    static final long RECONNECT_DELAY_MILLIS = 1000;
    private static final String STOPPING_DATA = "{\"detail\":\"the service is stopping: reconnect, with the id of the"
            + " last message received as Last-Event-ID, to another instance or after the restart\"}";

    private final CompletableFuture<Void> stopping = new CompletableFuture<>();
    private final AtomicInteger open = new AtomicInteger();

    /** Streams open at this moment. */
    public int count() {
        return open.get();
    }

    /**
     * {@code stream}, ended with a {@value #STOPPING_EVENT} message as soon as the service begins to
     * stop; a stream that ends by itself first ends as it would have.
     */
    Multi<OutboundSseEvent> endingAtShutdown(Multi<OutboundSseEvent> stream, Sse sse) {
        return Multi.createFrom().deferred(() -> {
            OutboundSseEvent last = sse.newEventBuilder().name(STOPPING_EVENT).reconnectDelay(RECONNECT_DELAY_MILLIS)
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, STOPPING_DATA).build();
            CompletableFuture<Void> ended = new CompletableFuture<>();
            AtomicBoolean stopped = new AtomicBoolean();
            // emits `last` when the service stops, or completes empty once the stream has ended by itself
            Multi<OutboundSseEvent> stop = Uni.createFrom().completionStage(stopping.thenApply(begun -> true)
                            .applyToEither(ended.thenApply(done -> false), begun -> begun))
                    .onItem().transformToMulti(begun -> begun ? Multi.createFrom().item(last) : Multi.createFrom().empty());
            Multi<OutboundSseEvent> own = stream.onTermination().invoke(() -> ended.complete(null));
            // one request at a time to each side, so the merge buffers nothing the client did not ask for
            return Multi.createBy().merging().withRequests(1).streams(own, stop)
                    .select().first(event -> {
                        if (event == last) {
                            stopped.set(true);
                            return false;
                        }
                        return true;
                    })
                    .onCompletion().switchTo(() -> stopped.get() ? Multi.createFrom().item(last) : Multi.createFrom().empty())
                    .onSubscription().invoke(open::incrementAndGet)
                    .onTermination().invoke(open::decrementAndGet);
        });
    }

    /**
     * The start of the shutdown, before the HTTP layer waits for open requests (fired by Quarkus
     * at every shutdown, since {@code quarkus.shutdown.delay-enabled} is set at build time).
     */
    void onShutdownBegins(@Observes ShutdownDelayInitiatedEvent event) {
        stopping.complete(null);
    }

    /** In case nothing announced the shutdown earlier: before the running jobs are handed back. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping.complete(null);
    }
}
