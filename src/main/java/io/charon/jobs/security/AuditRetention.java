package io.charon.jobs.security;

import io.charon.jobs.config.SecurityConfig;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deletes audit entries older than {@code charon.security.audit-retention}, oldest first, a batch
 * per short transaction so that no transaction holds the store for long, on the same interval as
 * the jobs' retention clean-up.
 */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    static final int BATCH = 1000;
    private static final String DELETE = "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ?"
            + " ORDER BY at LIMIT ?)";

    private final Store store;
    private final SecurityConfig config;
    private final Clock clock;

    public AuditRetention(Store store, SecurityConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${charon.jobs.cleanup-interval:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "charon-audit-retention")
    void scheduled() {
        try {
            cleanUp();
        } catch (RuntimeException e) {
            LOG.warnf("audit retention clean-up failed, retrying at the next interval: %s", e.getMessage());
        }
    }

    /** Deletes every entry past retention now; returns how many went. */
    public int cleanUp() {
        Instant cutoff = clock.instant().minus(config.auditRetention());
        int deleted = 0;
        while (true) {
            int batch = deleteBatch(cutoff);
            deleted += batch;
            if (batch < BATCH) {
                break;
            }
        }
        if (deleted > 0) {
            LOG.infof("audit retention: deleted %d entries older than %s", deleted, config.auditRetention());
        }
        return deleted;
    }

    private int deleteBatch(Instant cutoff) {
        AtomicInteger deleted = new AtomicInteger();
        QuarkusTransaction.requiringNew().run(() -> store.session().doWork(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                delete.setTimestamp(1, Timestamp.from(cutoff));
                delete.setInt(2, BATCH);
                deleted.set(delete.executeUpdate());
            }
        }));
        return deleted.get();
    }
}
