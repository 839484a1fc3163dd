package io.charon.jobs.store.sqlite;

import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.charon.jobs.store.StoreUnavailable;
import io.quarkiverse.jdbc.sqlite.runtime.SqliteAgroalConnectionConfigurer;
import io.quarkus.agroal.runtime.JdbcDriver;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The SQLite pool drops a connection that failed in a way it would not recover from: one SQLite
 * opened read-only because its file could not be written at that moment stays read-only for good,
 * and one whose files failed to be written or opened is not trusted again. The pool opens a new
 * connection in its place, read-write once the store is writable again (see
 * {@link StoreUnavailable#brokenSqliteConnection}).
 */
@Alternative
@Priority(1)
@JdbcDriver("sqlite")
@ApplicationScoped
@Unremovable
public class SqliteConnectionConfigurer extends SqliteAgroalConnectionConfigurer {

    @Override
    public void setExceptionSorter(String databaseKind, AgroalDataSourceConfigurationSupplier dataSource) {
        dataSource.connectionPoolConfiguration().exceptionSorter(StoreUnavailable::brokenSqliteConnection);
    }
}
