package io.charon.jobs.messaging;

import io.agroal.api.AgroalDataSource;
import io.charon.jobs.events.EventPosition;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How far each relay has delivered the event log, kept in the store so a restart resumes there. */
@ApplicationScoped
public class RelayCursors {

    private final AgroalDataSource dataSource;

    public RelayCursors(Store store) {
        this.dataSource = store.dataSource();
    }

    public Optional<EventPosition> read(String name) {
        List<EventPosition> found = new ArrayList<>(1);
        try {
            StoreReads.forEachRow(dataSource, "SELECT last_xact, last_id FROM event_cursors WHERE name = ?", List.of(name),
                    rows -> found.add(new EventPosition(rows.getLong(1), rows.getLong(2))));
        } catch (SQLException e) {
            throw new IllegalStateException("reading relay cursor " + name + " failed: " + e.getMessage(), e);
        }
        return found.stream().findFirst();
    }

    public void save(String name, EventPosition last) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO event_cursors (name, last_xact, last_id, updated_at) VALUES (?, ?, ?, ?)
                     ON CONFLICT (name) DO UPDATE SET last_xact = excluded.last_xact, last_id = excluded.last_id,
                         updated_at = excluded.updated_at""")) {
            upsert.setString(1, name);
            upsert.setLong(2, last.transaction());
            upsert.setLong(3, last.id());
            upsert.setTimestamp(4, Timestamp.from(Instant.now()));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("saving relay cursor " + name + " failed: " + e.getMessage(), e);
        }
    }
}
