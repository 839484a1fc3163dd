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

    enum Kind { SQLITE, POSTGRESQL }

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

    /** Which store is active: for picking its side of each concern ({@link StoreDialects}), never for branching elsewhere. */
    Kind kind() {
        return kind;
    }

    /** The active store's connection pool, for plain JDBC. */
    public AgroalDataSource dataSource() {
        return dataSource;
    }

    /** The active store's migrations. */
    public Flyway flyway() {
        return flyway.get();
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
