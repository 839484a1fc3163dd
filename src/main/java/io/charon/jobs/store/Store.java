package io.charon.jobs.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The store this process runs on, chosen at start-up by configuration: the embedded SQLite file
 * (the default datasource and persistence unit) or PostgreSQL (both named {@value #POSTGRESQL}),
 * whichever is active. One artifact carries both; the entities belong to both persistence units.
 * Code that reaches the database goes through here, never through an injected datasource.
 */
@ApplicationScoped
public class Store {

    /** Name of the PostgreSQL datasource, persistence unit and Flyway configuration. */
    public static final String POSTGRESQL = "postgresql";

    public enum Kind { SQLITE, POSTGRESQL }

    private final Kind kind;
    private final AgroalDataSource dataSource;
    private final InjectableInstance<Session> sessions;
    private final InjectableInstance<Flyway> flyway;

    @Inject
    public Store(@Any InjectableInstance<AgroalDataSource> dataSources, @Any InjectableInstance<Session> sessions,
                 @Any InjectableInstance<Flyway> flyway) {
        InjectableInstance<AgroalDataSource> postgres = dataSources.select(new DataSource.DataSourceLiteral(POSTGRESQL));
        boolean onPostgres = postgres.getHandle().getBean().isActive();
        this.kind = onPostgres ? Kind.POSTGRESQL : Kind.SQLITE;
        this.dataSource = onPostgres ? postgres.get() : dataSources.select(Default.Literal.INSTANCE).get();
        this.sessions = onPostgres ? sessions.select(new PersistenceUnit.PersistenceUnitLiteral(POSTGRESQL))
                : sessions.select(Default.Literal.INSTANCE);
        // Flyway's beans carry Flyway's own qualifier, not the datasource's
        this.flyway = onPostgres ? flyway.select(FlywayDataSource.FlywayDataSourceLiteral.of(POSTGRESQL))
                : flyway.select(Default.Literal.INSTANCE);
    }

    public Kind kind() {
        return kind;
    }

    public boolean postgres() {
        return kind == Kind.POSTGRESQL;
    }

    /** The active store's connection pool, for plain JDBC. */
    public AgroalDataSource dataSource() {
        return dataSource;
    }

    /** The active store's migrations. */
    public Flyway flyway() {
        return flyway.get();
    }

    /**
     * Runs {@code work} unless another replica runs work under the same key right now: one orphan
     * sweep, one broker relay at a time across the cluster. On PostgreSQL a session advisory lock
     * of a pooled connection, released when the work ends (or with the connection, should the
     * process die); on SQLite there is one process, and {@code work} always runs.
     *
     * @return whether {@code work} ran
     */
    public boolean exclusively(long key, Runnable work) {
        if (!postgres()) {
            work.run();
            return true;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (!advisoryLock(connection, "SELECT pg_try_advisory_lock(?)", key)) {
                return false;
            }
            try {
                work.run();
                return true;
            } finally {
                advisoryLock(connection, "SELECT pg_advisory_unlock(?)", key);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the store lock " + key + ": " + e.getMessage(), e);
        }
    }

    private static boolean advisoryLock(Connection connection, String sql, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, key);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** The active persistence unit's session of the current transaction or request. */
    public Session session() {
        return sessions.get();
    }

    /**
     * The stored entities among {@code ids}, loaded into the session, in the order of {@code ids}.
     * A multi-load rather than a query with an {@code in} list: Hibernate translates such a query
     * again for every list length.
     */
    public <T> List<T> findAll(Class<T> type, Collection<?> ids) {
        if (ids.isEmpty()) {
            return new ArrayList<>();
        }
        List<T> found = session().byMultipleIds(type).multiLoad(List.copyOf(ids));
        found.removeIf(Objects::isNull);
        return found;
    }
}
