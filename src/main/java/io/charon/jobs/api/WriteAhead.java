package io.charon.jobs.api;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.AbstractMulti;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import org.jboss.resteasy.reactive.RestMulti;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets an SSE stream hand RESTEasy up to {@code ahead} events before the first of them is
 * written, then one more per completed write, so a burst goes out without a write round trip per
 * event. RESTEasy requests a stream's whole demand once at the start and again after every
 * completed write: a plain demand above one adds up without bound, and a client that stopped
 * reading would have its events pile up in the connection instead of filling the feed's bounded
 * buffer and being cut off. Counting those requests instead of adding up their amounts keeps at
 * most {@code ahead} events between the feed and the socket ({@code SlowSubscriberTest}).
 */
final class WriteAhead<T> extends AbstractMulti<T> {

    private final Multi<T> events;
    private final long ahead;

    private WriteAhead(Multi<T> events, long ahead) {
        this.events = events;
        this.ahead = ahead;
    }

    static <T> RestMulti<T> of(Multi<T> events, int ahead) {
        return RestMulti.fromMultiData(new WriteAhead<>(events, ahead)).withDemand(ahead).build();
    }

    @Override
    public void subscribe(MultiSubscriber<? super T> writer) {
        events.subscribe(new MultiSubscriber<T>() {
            @Override
            public void onSubscribe(Flow.Subscription feed) {
                AtomicBoolean first = new AtomicBoolean(true);
                writer.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                        // n <= 0 is passed on, for the feed to fail the stream as the protocol asks
                        feed.request(n <= 0 ? n : first.getAndSet(false) ? ahead : 1);
                    }

                    @Override
                    public void cancel() {
                        feed.cancel();
                    }
                });
            }

            @Override
            public void onItem(T event) {
                writer.onItem(event);
            }

            @Override
            public void onFailure(Throwable failure) {
                writer.onFailure(failure);
            }

            @Override
            public void onCompletion() {
                writer.onCompletion();
            }
        });
    }
}
