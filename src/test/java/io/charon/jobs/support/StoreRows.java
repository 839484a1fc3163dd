package io.charon.jobs.support;

import io.charon.jobs.store.Store;
import io.quarkus.arc.Arc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/** Row counts of the running service's store, whichever store it is. */
public final class StoreRows {

    private StoreRows() {
    }

    /** The number of rows in each of {@code tables}, read in one snapshot-free pass. */
    public static long[] count(String... tables) {
        Store store = Arc.container().instance(Store.class).get();
        try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            return Arrays.stream(tables).mapToLong(table -> {
                try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    row.next();
                    return row.getLong(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
