package io.charon.jobs.store.postgresql;

import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;

/**
 * On PostgreSQL, entities update whole rows, whatever their {@code @DynamicUpdate}. Hibernate
 * sends a dynamic update as a statement of its own, a round trip per changed job; full-row
 * updates share one statement text and go as one JDBC batch. That pays for the columns written
 * needlessly many times over where every statement is a round trip to a server; on SQLite, which
 * has none and rewrites the index entries of every column named, the entities keep naming only
 * what changed. Runs before the session factory builds its persisters, which read the setting.
 */
public class PostgresBatchedUpdates implements Integrator {

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        if (!(metadata.getDatabase().getDialect() instanceof PostgreSQLDialect)) {
            return;
        }
        for (PersistentClass entity : metadata.getEntityBindings()) {
            entity.setDynamicUpdate(false);
        }
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
    }
}
