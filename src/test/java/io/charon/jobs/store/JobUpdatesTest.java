package io.charon.jobs.store;

import io.charon.jobs.job.Job;
import io.charon.jobs.support.StoreUnderTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How job updates are written on each store: whole rows on PostgreSQL, where only such updates
 * share a statement and go as one JDBC batch instead of a round trip per job; only the changed
 * columns on SQLite (the entity's {@code @DynamicUpdate}), which rewrites the index entries of
 * every column named.
 */
@QuarkusTest
class JobUpdatesTest {

    @Inject
    Store store;

    @Test
    void jobsUpdateWholeRowsOnPostgresqlAndChangedColumnsOnSqlite() {
        boolean changedColumnsOnly = QuarkusTransaction.requiringNew().call(() -> store.session().getSessionFactory()
                .unwrap(SessionFactoryImplementor.class).getMappingMetamodel().getEntityDescriptor(Job.class)
                .isDynamicUpdate());
        assertThat(changedColumnsOnly).isEqualTo(!StoreUnderTest.postgres());
    }
}
