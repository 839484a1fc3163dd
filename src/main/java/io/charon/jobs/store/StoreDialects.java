package io.charon.jobs.store;

import io.charon.jobs.store.postgresql.AdvisoryLocks;
import io.charon.jobs.store.postgresql.PostgresEventLog;
import io.charon.jobs.store.postgresql.PostgresNotices;
import io.charon.jobs.store.postgresql.PostgresRowLocks;
import io.charon.jobs.store.postgresql.PostgresClaimGuards;
import io.charon.jobs.store.postgresql.PostgresRunSlots;
import io.charon.jobs.store.postgresql.PostgresSql;
import io.charon.jobs.store.postgresql.PostgresWriteProbe;
import io.charon.jobs.store.sqlite.OneProcess;
import io.charon.jobs.store.sqlite.SqliteEventLog;
import io.charon.jobs.store.sqlite.SqliteRowLocks;
import io.charon.jobs.store.sqlite.SqliteSql;
import io.charon.jobs.store.sqlite.SqliteWriteProbe;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.eclipse.microprofile.config.Config;

/**
 * Picks, once, the active store's side of each concern the stores differ in; the rest of the
 * service sees only the interfaces.
 */
@Singleton
public class StoreDialects {

    private final Store store;
    private final boolean postgres;

    public StoreDialects(Store store) {
        this.store = store;
        this.postgres = store.kind() == Store.Kind.POSTGRESQL;
    }

    @Produces
    @Singleton
    QueueSql queueSql() {
        return postgres ? new PostgresSql() : new SqliteSql();
    }

    @Produces
    @Singleton
    StatisticsSql statisticsSql() {
        return postgres ? new PostgresSql() : new SqliteSql();
    }

    @Produces
    @Singleton
    EventLogSql eventLogSql() {
        return postgres ? new PostgresEventLog() : new SqliteEventLog();
    }

    @Produces
    @Singleton
    ClusterWork clusterWork() {
        return postgres ? new AdvisoryLocks(store.dataSource()) : new OneProcess();
    }

    @Produces
    @Singleton
    ReplicaNotices replicaNotices(TransactionSynchronizationRegistry transactions, Config config) {
        return postgres ? new PostgresNotices(store, transactions, config) : new OneProcess();
    }

    @Produces
    @Singleton
    RunSlots runSlots() {
        return postgres ? new PostgresRunSlots() : new OneProcess();
    }

    @Produces
    @Singleton
    ClaimGuards claimGuards() {
        return postgres ? new PostgresClaimGuards() : new OneProcess();
    }

    @Produces
    @Singleton
    WriteProbe writeProbe() {
        return postgres ? new PostgresWriteProbe() : new SqliteWriteProbe();
    }

    @Produces
    @Singleton
    RowLocks rowLocks() {
        return postgres ? new PostgresRowLocks() : new SqliteRowLocks();
    }
}
