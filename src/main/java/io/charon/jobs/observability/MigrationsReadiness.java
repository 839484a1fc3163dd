package io.charon.jobs.observability;

import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Ready while the store's schema is exactly the one this build brings: every migration of the
 * build applied, none failed, none applied that the build does not know (a store migrated by a
 * later version). The build's migrations are resolved once; each probe then reads Flyway's history
 * table with a plain query, which takes no lock (Flyway's own {@code info()} opens a transaction,
 * and every transaction takes SQLite's write lock under this store's settings).
 */
@Readiness
@ApplicationScoped
public class MigrationsReadiness implements HealthCheck {

    static final String HISTORY = "flyway_schema_history";

    private final Store store;
    private volatile List<String> buildVersions;

    public MigrationsReadiness(Store store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            if (buildVersions == null) {
                buildVersions = versionsOf(store.flyway());
            }
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("migrations").down()
                    .withData("reason", "cannot resolve this build's migrations: " + e.getMessage()).build();
        }
        return check(buildVersions, store.dataSource());
    }

    /** The versions of the migrations {@code flyway} would apply to an empty store. */
    static List<String> versionsOf(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .filter(m -> m.getVersion() != null && !m.getState().name().startsWith("FUTURE"))
                .map(m -> m.getVersion().getVersion()).toList();
    }

    /** Compares the store's history with {@code expected}. */
    static HealthCheckResponse check(List<String> expected, DataSource store) {
        var response = HealthCheckResponse.named("migrations");
        Set<String> applied = new LinkedHashSet<>();
        List<String> failed = new ArrayList<>();
        try {
            StoreReads.forEachRow(store, "SELECT version, success FROM " + HISTORY
                            + " WHERE version IS NOT NULL ORDER BY installed_rank", List.of(),
                    row -> (row.getBoolean(2) ? applied : failed).add(row.getString(1)));
        } catch (SQLException e) {
            return response.down().withData("reason", "cannot read the migration history: " + e.getMessage()).build();
        }
        List<String> pending = expected.stream().filter(v -> !applied.contains(v)).toList();
        List<String> unknown = applied.stream().filter(v -> !expected.contains(v)).toList();
        return response.status(pending.isEmpty() && failed.isEmpty() && unknown.isEmpty())
                .withData("schemaVersion", applied.isEmpty() ? "none" : new ArrayList<>(applied).get(applied.size() - 1))
                .withData("pending", String.join(", ", pending))
                .withData("failed", String.join(", ", failed))
                .withData("newerThanThisBuild", String.join(", ", unknown))
                .build();
    }
}
