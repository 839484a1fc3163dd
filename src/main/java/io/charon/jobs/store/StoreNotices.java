package io.charon.jobs.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * Tells every replica on a PostgreSQL store what changed, as it commits: {@code NOTIFY} inside the
 * writing transaction (PostgreSQL delivers it with the commit, never for a rollback), and one
 * listening connection per replica that turns each notice into a local {@link Notice} event.
 * That is how a job submitted on one replica starts on an idle one within milliseconds and how
 * event streams on every replica learn of new events; polling (the dispatch tick, the feed's poll
 * interval) remains the fallback while the listening connection is down. On SQLite there is one
 * process and nothing to tell.
 */
@ApplicationScoped
public class StoreNotices {

    private static final Logger LOG = Logger.getLogger(StoreNotices.class);
    static final String CHANNEL = "charon_jobs";
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    /** What a notice says: new events, a job to claim (or a schedule changed), a job cancelled. */
    public enum Kind { EVENTS, CLAIMABLE, CANCELLED }

    /** A change another replica (or this one) committed. {@code jobId} is set for {@link Kind#CANCELLED}. */
    public record Notice(Kind kind, String jobId) {

        String text() {
            return jobId == null ? kind.name() : kind.name() + ":" + jobId;
        }

        static Notice parse(String text) {
            int colon = text.indexOf(':');
            Kind kind = Kind.valueOf(colon < 0 ? text : text.substring(0, colon));
            return new Notice(kind, colon < 0 ? null : text.substring(colon + 1));
        }
    }

    private final Store store;
    private final TransactionSynchronizationRegistry transactions;
    private final Event<Notice> local;
    private final Config config;
    private volatile boolean running;
    private volatile Connection listening;
    private Thread listener;

    public StoreNotices(Store store, TransactionSynchronizationRegistry transactions, Event<Notice> local, Config config) {
        this.store = store;
        this.transactions = transactions;
        this.local = local;
        this.config = config;
    }

    /** Sends {@code notice} with the current transaction's commit, once per transaction. */
    public void send(Notice notice) {
        if (!store.postgres()) {
            return;
        }
        @SuppressWarnings("unchecked")
        Set<String> sent = (Set<String>) transactions.getResource(StoreNotices.class);
        if (sent == null) {
            sent = new HashSet<>();
            transactions.putResource(StoreNotices.class, sent);
        }
        String text = notice.text();
        if (sent.add(text)) {
            store.session().doWork(connection -> {
                try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                    notify.setString(1, CHANNEL);
                    notify.setString(2, text);
                    notify.execute();
                }
            });
        }
    }

    void start(@Observes StartupEvent event) {
        if (!store.postgres()) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "charon-store-notices");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Connection connection = listening;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing is all that is left to do
            }
        }
    }

    /** Holds a LISTEN connection of its own (not a pooled one), reconnecting while the service runs. */
    private void listen() {
        while (running) {
            try (Connection connection = connect()) {
                listening = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                // changes committed while not listening: the pollers would find them; this finds them now
                local.fire(new Notice(Kind.CLAIMABLE, null));
                local.fire(new Notice(Kind.EVENTS, null));
                PGConnection notices = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notices.getNotifications(1000);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            deliver(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf("store notices interrupted (%s); polling covers until listening again", e.getMessage());
                    pause();
                }
            } finally {
                listening = null;
            }
        }
    }

    private void deliver(String text) {
        try {
            local.fire(Notice.parse(text));
        } catch (IllegalArgumentException e) {
            LOG.debugf("ignoring an unknown store notice: %s", text);
        } catch (RuntimeException e) {
            LOG.warnf("a store notice observer failed: %s", e.getMessage());
        }
    }

    private Connection connect() throws SQLException {
        String prefix = "quarkus.datasource." + Store.POSTGRESQL + ".";
        Properties properties = new Properties();
        config.getOptionalValue(prefix + "username", String.class).ifPresent(user -> properties.setProperty("user", user));
        config.getOptionalValue(prefix + "password", String.class).ifPresent(pass -> properties.setProperty("password", pass));
        properties.setProperty("ApplicationName", "charon-jobs notices");
        String url = config.getValue(prefix + "jdbc.url", String.class);
        Connection connection = new org.postgresql.Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        return connection;
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE.toMillis()); // a back-off between reconnects, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
