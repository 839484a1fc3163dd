package io.charon.jobs.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A transaction holds the write lock from its start, and a connection holds none after its commit. */
class SqliteDriverTest {

    @TempDir
    Path dir;

    @Test
    void aStartedTransactionHoldsTheWriteLockAndACommittedConnectionDoesNot() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("lock.db") + "?journal_mode=WAL&transaction_mode=IMMEDIATE";
        SqliteDriver driver = new SqliteDriver();
        try (Connection writer = driver.connect(url, new Properties());
             Connection other = driver.connect(url + "&busy_timeout=0", new Properties())) {
            try (Statement create = writer.createStatement()) {
                create.execute("CREATE TABLE t (n INTEGER)");
            }

            writer.setAutoCommit(false); // BEGIN IMMEDIATE: the lock is taken at the start
            assertThatThrownBy(() -> write(other)).isInstanceOf(SQLException.class).hasMessageContaining("BUSY");

            write(writer);
            writer.commit(); // the stock driver would take the lock again here
            write(other);
            writer.rollback();
            write(other);

            writer.setAutoCommit(true);
            writer.setAutoCommit(false);
            assertThatThrownBy(() -> write(other)).isInstanceOf(SQLException.class).hasMessageContaining("BUSY");
            writer.setAutoCommit(true);
        }
    }

    @Test
    void aTransactionThatCannotBeginLeavesTheConnectionInAutocommitAndTheWritersLineFree() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("busy.db") + "?journal_mode=WAL&transaction_mode=IMMEDIATE";
        SqliteDriver driver = new SqliteDriver();
        // another process's writer, outside this process's line of writers
        try (Connection foreign = new org.sqlite.JDBC().connect(url, new Properties());
             Connection refused = driver.connect(url + "&busy_timeout=0", new Properties());
             Connection next = driver.connect(url + "&busy_timeout=0", new Properties())) {
            try (Statement create = foreign.createStatement()) {
                create.execute("CREATE TABLE t (n INTEGER)");
            }
            foreign.setAutoCommit(false);
            write(foreign);

            assertThatThrownBy(() -> refused.setAutoCommit(false)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("BUSY");
            assertThat(refused.getAutoCommit()).isTrue();
            assertThat(SqliteDriver.freeWriterLines(dir.resolve("busy.db").toString())).isEqualTo(1);

            foreign.commit();
            foreign.setAutoCommit(true);
            next.setAutoCommit(false);
            write(next);
            next.commit();
            next.setAutoCommit(true);
            write(refused); // in autocommit: its own commit, visible to others at once
            try (Statement count = foreign.createStatement(); var rows = count.executeQuery("SELECT count(*) FROM t")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void foreignUrlsAreLeftToOtherDrivers() throws Exception {
        assertThat(new SqliteDriver().connect("jdbc:postgresql://localhost/test", new Properties())).isNull();
    }

    private static void write(Connection connection) throws SQLException {
        try (Statement insert = connection.createStatement()) {
            insert.executeUpdate("INSERT INTO t (n) VALUES (1)");
        }
    }
}
