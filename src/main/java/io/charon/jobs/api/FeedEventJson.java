package io.charon.jobs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.events.FeedEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JSON of live feed events, encoded once however many SSE subscribers send them. The feed
 * hands the same event instance to every subscription, so a ring of the latest encodings, keyed
 * by event id and checked by identity, serves all subscribers but the first; a replayed event (a
 * fresh instance per subscriber) is simply encoded again.
 */
@ApplicationScoped
class FeedEventJson {

    /** A power of two, several of the feed's pages: a subscriber lagging further re-encodes. */
    private static final int SLOTS = 4096;

    private final AtomicReferenceArray<Encoded> latest = new AtomicReferenceArray<>(SLOTS);
    private final ObjectMapper json;

    FeedEventJson(ObjectMapper json) {
        this.json = json;
    }

    String of(FeedEvent event) {
        int slot = (int) (event.id() & (SLOTS - 1));
        Encoded cached = latest.get(slot);
        if (cached != null && cached.event() == event) {
            return cached.json();
        }
        try {
            String encoded = json.writeValueAsString(event);
            latest.set(slot, new Encoded(event, encoded));
            return encoded;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Encoded(FeedEvent event, String json) {
    }
}
