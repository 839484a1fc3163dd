package io.charon.jobs.messaging;

import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;

/**
 * The connector of the channels when no broker is configured: everything stays in this process.
 * <ul>
 *   <li>{@code job-requests} receives what embedding code sends through {@link LocalJobRequests};</li>
 *   <li>{@code job-events} acknowledges each event at once (in-process subscribers read the
 *       events through {@code EventFeed}, from the store);</li>
 *   <li>{@code job-request-rejects}, the dead letters, are logged with their errors and fired as
 *       {@link RejectedJobRequest} CDI events: never silently dropped.</li>
 * </ul>
 */
@ApplicationScoped
@Connector(LocalConnector.NAME)
public class LocalConnector implements InboundConnector, OutboundConnector {

    public static final String NAME = "charon-local";
    private static final Logger LOG = Logger.getLogger(LocalConnector.class);

    private final LocalJobRequests requests;
    private final Event<RejectedJobRequest> rejected;

    public LocalConnector(LocalJobRequests requests, Event<RejectedJobRequest> rejected) {
        this.requests = requests;
        this.rejected = rejected;
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        return requests.publisher();
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        String channel = config.getValue("channel-name", String.class);
        return new Flow.Subscriber<Message<?>>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Message<?> message) {
                message.getMetadata(RejectedJobRequest.class).ifPresent(rejection -> {
                    LOG.warnf("job request rejected on channel %s: %s; request: %s", channel, rejection.reason(),
                            abbreviate(message.getPayload()));
                    rejected.fire(rejection);
                });
                message.ack();
            }

            @Override
            public void onError(Throwable failure) {
                LOG.errorf("channel %s failed: %s", channel, failure.getMessage());
            }

            @Override
            public void onComplete() {
            }
        };
    }

    private static String abbreviate(Object payload) {
        String text = payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(payload);
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }
}
