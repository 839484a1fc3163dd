package io.charon.jobs.support;

import io.charon.jobs.store.StoreNotices;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every store notice the service heard (PostgreSQL), for tests to look at. */
@ApplicationScoped
public class NoticeLog {

    private final List<StoreNotices.Notice> heard = new CopyOnWriteArrayList<>();

    void record(@Observes StoreNotices.Notice notice) {
        heard.add(notice);
    }

    public List<StoreNotices.Notice> heard() {
        return List.copyOf(heard);
    }
}
