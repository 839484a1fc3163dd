package io.charon.jobs.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects what the in-process dead-letter channel fired, for tests to look at. */
@ApplicationScoped
public class RejectionLog {

    private final List<RejectedJobRequest> seen = new CopyOnWriteArrayList<>();

    /** What was rejected so far (a method: the bean is reached through a proxy). */
    public List<RejectedJobRequest> seen() {
        return List.copyOf(seen);
    }

    void on(@Observes RejectedJobRequest rejected) {
        seen.add(rejected);
    }
}
