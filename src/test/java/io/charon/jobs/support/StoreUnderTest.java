package io.charon.jobs.support;

import io.charon.jobs.store.Store;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * The store the tests run on: {@code sqlite} in surefire's default execution, {@code postgresql}
 * in the "postgresql" execution of {@code -Pservices} (system property {@code charon.test.store},
 * set in pom.xml, which also points that execution's applications at PostgreSQL, each start in a
 * schema of its own). So every {@code @QuarkusTest} runs on both stores, with the same profile.
 * Tags decide the exceptions: {@code sqlite-only} (about the SQLite file or its locking) and
 * {@code store-independent} (never reaches the store) run in the default execution alone,
 * {@code postgresql-only} in the PostgreSQL one alone.
 * <p>
 * Registered as a Quarkus test callback (META-INF/services), it fails any test whose application
 * runs on the other store, so that no test passes on a store it was not meant to check.
 */
public final class StoreUnderTest implements QuarkusTestBeforeEachCallback {

    public static final String PROPERTY = "charon.test.store";

    /** {@code sqlite} or {@code postgresql}. */
    public static String expected() {
        return System.getProperty(PROPERTY, "sqlite").toLowerCase(Locale.ROOT);
    }

    public static boolean postgres() {
        return expected().equals("postgresql");
    }

    /**
     * The config profile of a test profile that needs {@code more} on top of the test profile:
     * {@code test}, {@code postgresql} on PostgreSQL, then {@code more}.
     */
    public static String configProfile(String... more) {
        StringBuilder profile = new StringBuilder(postgres() ? "test,postgresql" : "test");
        for (String name : more) {
            profile.append(',').append(name);
        }
        return profile.toString();
    }

    private static Store askedStore;
    private static String askedAnswer;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        String running = runningStore();
        if (!running.equals(expected())) {
            throw new IllegalStateException(context.getTestInstance().getClass().getName() + " runs on " + running
                    + " in the tests on " + expected() + ": tag it " + running + "-only, or take its store setting out");
        }
    }

    /**
     * The store the application under test runs on, as its database names itself: sqlite or
     * postgresql. Asked once per application start: some tests make the store unreachable.
     */
    private static synchronized String runningStore() {
        Store store = Arc.container().instance(Store.class).get();
        if (store == askedStore) {
            return askedAnswer;
        }
        try (Connection connection = store.dataSource().getConnection()) {
            askedAnswer = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            askedStore = store;
            return askedAnswer;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which store the application runs on: " + e.getMessage(), e);
        }
    }

    /**
     * On PostgreSQL, keeps the {@code @QuarkusTest} classes alone (a launcher filter, META-INF/services):
     * plain unit tests reach no store and have run once already.
     */
    public static final class QuarkusTestsOnly implements PostDiscoveryFilter {

        private static final String QUARKUS_TEST = "io.quarkus.test.junit.QuarkusTest";

        @Override
        public FilterResult apply(TestDescriptor descriptor) {
            if (!postgres()) {
                return FilterResult.included("all tests run on SQLite");
            }
            Optional<Class<?>> testClass = descriptor.getSource().flatMap(QuarkusTestsOnly::classOf);
            if (testClass.isEmpty() || isQuarkusTest(testClass.get())) {
                return FilterResult.included("a @QuarkusTest, or not a class's test");
            }
            return FilterResult.excluded("not a @QuarkusTest: runs in the SQLite execution alone");
        }

        private static Optional<Class<?>> classOf(TestSource source) {
            if (source instanceof MethodSource method) {
                return Optional.of(method.getJavaClass());
            }
            if (source instanceof ClassSource type) {
                return Optional.of(type.getJavaClass());
            }
            return Optional.empty();
        }

        /** By name: the class may come from another class loader than this filter. */
        private static boolean isQuarkusTest(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass() != null && c.getSuperclass() != Object.class
                    ? c.getSuperclass() : c.getEnclosingClass()) {
                for (Annotation annotation : c.getAnnotations()) {
                    if (annotation.annotationType().getName().equals(QUARKUS_TEST)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
