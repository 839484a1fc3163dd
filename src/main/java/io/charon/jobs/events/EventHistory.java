package io.charon.jobs.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads stored events in store order, outside any transaction (plain reads never take SQLite's
 * write lock). On SQLite, event ids are handed out by the single writer in commit order, so
 * "every event after id N" read at any moment is exactly what committed after N: no gap can
 * open behind a reader's cursor.
 */
@ApplicationScoped
public class EventHistory {

    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public EventHistory(Store store, ObjectMapper json) {
        this.dataSource = store.dataSource();
        this.json = json;
    }

    /** Up to {@code limit} events after {@code afterId} that pass {@code filter}, oldest first. */
    public List<FeedEvent> after(long afterId, EventFilter filter, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT e.id, e.job_id, e.seq, e.type, e.status, e.message, e.data, e.created_at, j.tags, j.user_id
                FROM job_events e JOIN jobs j ON j.id = e.job_id
                WHERE e.id > ?""");
        List<Object> params = new ArrayList<>();
        params.add(afterId);
        if (filter.jobId() != null) {
            sql.append(" AND e.job_id = ?");
            params.add(filter.jobId());
        }
        if (!filter.types().isEmpty()) {
            sql.append(" AND e.type IN (").append("?, ".repeat(filter.types().size() - 1)).append("?)");
            params.addAll(filter.types());
        }
        if (filter.userId() != null) {
            sql.append(" AND j.user_id = ?");
            params.add(filter.userId());
        }
        if (filter.tag() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM job_tags t WHERE t.job_id = e.job_id AND t.tag = ?)");
            params.add(filter.tag());
        }
        sql.append(" ORDER BY e.id LIMIT ?");
        params.add(limit);
        List<FeedEvent> events = new ArrayList<>();
        try {
            StoreReads.forEachRow(dataSource, sql.toString(), params, rows -> events.add(new FeedEvent(rows.getLong(1),
                    rows.getString(2), rows.getLong(3), rows.getString(4), rows.getString(5), rows.getString(6),
                    rows.getString(7), rows.getTimestamp(8).toInstant(), tags(rows.getString(9)), rows.getString(10))));
        } catch (SQLException e) {
            throw new IllegalStateException("reading events failed: " + e.getMessage(), e);
        }
        return events;
    }

    /** The id of the newest stored event, 0 when there is none. */
    public long lastId() {
        long[] last = {0};
        try {
            StoreReads.forEachRow(dataSource, "SELECT COALESCE(MAX(id), 0) FROM job_events", List.of(),
                    rows -> last[0] = rows.getLong(1));
        } catch (SQLException e) {
            throw new IllegalStateException("reading events failed: " + e.getMessage(), e);
        }
        return last[0];
    }

    private List<String> tags(String text) {
        try {
            return text == null ? List.of() : json.readValue(text, TAGS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
