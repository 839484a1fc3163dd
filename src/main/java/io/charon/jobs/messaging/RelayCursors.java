package io.charon.jobs.messaging;

import io.agroal.api.AgroalDataSource;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/** How far each relay has delivered the event log, kept in the store so a restart resumes there. */
@ApplicationScoped
public class RelayCursors {

    private final AgroalDataSource dataSource;

    public RelayCursors(Store store) {
        this.dataSource = store.dataSource();
    }

    public OptionalLong read(String name) {
        OptionalLong[] found = {OptionalLong.empty()};
        try {
            StoreReads.forEachRow(dataSource, "SELECT last_id FROM event_cursors WHERE name = ?", List.of(name),
                    rows -> found[0] = OptionalLong.of(rows.getLong(1)));
        } catch (SQLException e) {
            throw new IllegalStateException("reading relay cursor " + name + " failed: " + e.getMessage(), e);
        }
        return found[0];
    }

    public void save(String name, long lastId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO event_cursors (name, last_id, updated_at) VALUES (?, ?, ?)
                     ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at""")) {
            upsert.setString(1, name);
            upsert.setLong(2, lastId);
            upsert.setTimestamp(3, Timestamp.from(Instant.now()));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("saving relay cursor " + name + " failed: " + e.getMessage(), e);
        }
    }
}
