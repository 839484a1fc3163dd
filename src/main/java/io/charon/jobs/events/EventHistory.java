package io.charon.jobs.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.charon.jobs.store.EventLogSql;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads stored events in the event log's order (see {@link EventLogSql}), outside any transaction
 * (plain reads never take SQLite's write lock). What a read returns is a prefix of that order that
 * can no longer grow in the middle: every event after a returned position that will ever be
 * readable sorts after it, so "every event after position P" read at any moment leaves no gap
 * behind a reader's cursor.
 */
@ApplicationScoped
public class EventHistory {

    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };

    private final AgroalDataSource dataSource;
    private final EventLogSql log;
    private final ObjectMapper json;

    public EventHistory(Store store, EventLogSql log, ObjectMapper json) {
        this.dataSource = store.dataSource();
        this.log = log;
        this.json = json;
    }

    /** Up to {@code limit} events after {@code after} that pass {@code filter}, in order. */
    public List<FeedEvent> after(EventPosition after, EventFilter filter, int limit) {
        List<Object> params = new ArrayList<>();
        String sql = afterQuery(log, after, filter, limit, params);
        List<FeedEvent> events = new ArrayList<>();
        try {
            StoreReads.forEachRow(dataSource, sql, params, log::prepareReadAfter, rows -> events.add(
                    new FeedEvent(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), rows.getString(7), rows.getTimestamp(8).toInstant(),
                            tags(rows.getString(9)), rows.getString(10), rows.getLong(11))));
        } catch (SQLException e) {
            throw new IllegalStateException("reading events failed: " + e.getMessage(), e);
        }
        return events;
    }

    /** The read of {@link #after}: its SQL, with its parameters added to {@code params} in order. */
    static String afterQuery(EventLogSql log, EventPosition after, EventFilter filter, int limit, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT e.id, e.job_id, e.seq, e.type, e.status, e.message, e.data,"
                + " e.created_at, j.tags, j.user_id, " + log.transactionOf()
                + " FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE " + log.after());
        params.addAll(log.afterParameters(after.transaction(), after.id()));
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
        params.add(limit);
        return sql.append(" ORDER BY ").append(log.order()).append(" LIMIT ?").toString();
    }

    /** The position of the newest readable event, {@link EventPosition#START} when there is none. */
    public EventPosition newest() {
        EventPosition[] newest = {EventPosition.START};
        try {
            StoreReads.forEachRow(dataSource, log.newest(), List.of(),
                    rows -> newest[0] = new EventPosition(rows.getLong(1), rows.getLong(2)));
        } catch (SQLException e) {
            throw new IllegalStateException("reading events failed: " + e.getMessage(), e);
        }
        return newest[0];
    }

    /**
     * Whether stored events wait behind a transaction that has not ended (PostgreSQL): a reader
     * should look again shortly, since that transaction may end without announcing it.
     */
    public boolean heldBack() {
        if (log.heldBack().isEmpty()) {
            return false;
        }
        boolean[] held = {false};
        try {
            StoreReads.forEachRow(dataSource, log.heldBack().get(), List.of(),
                    rows -> held[0] = rows.getBoolean(1));
        } catch (SQLException e) {
            throw new IllegalStateException("reading events failed: " + e.getMessage(), e);
        }
        return held[0];
    }

    private List<String> tags(String text) {
        try {
            return text == null ? List.of() : json.readValue(text, TAGS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
