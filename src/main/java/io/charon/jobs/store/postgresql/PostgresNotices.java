package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.ReplicaNotices;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreNotices.Kind;
import io.charon.jobs.store.StoreNotices.Notice;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
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
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Notices through PostgreSQL: {@code NOTIFY} right after the writing transaction commits (never
 * for a rollback), and one listening connection per replica that hands each notice on. While that
 * connection is down, or should a process die between a commit and its notice, polling covers.
 *
 * <p>The notices are not sent inside the writing transaction: PostgreSQL queues a transaction's
 * notifications at its commit under one lock for the whole cluster, so every write transaction of
 * every replica that notified would commit one at a time. A notifier thread per replica sends them
 * instead, each distinct notice once per turn, in a short transaction of its own: several commits'
 * notices share one.
 */
public class PostgresNotices implements ReplicaNotices {

    private static final Logger LOG = Logger.getLogger(PostgresNotices.class);
    static final String CHANNEL = "charon_jobs";
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private final Store store;
    private final TransactionSynchronizationRegistry transactions;
    private final Config config;
    private volatile boolean running;
    private volatile Connection listening;
    private final BlockingQueue<String> committed = new LinkedBlockingQueue<>();
    private final Thread notifier = new Thread(this::notifyWhileRunning, "charon-store-notifier");

    public PostgresNotices(Store store, TransactionSynchronizationRegistry transactions, Config config) {
        this.store = store;
        this.transactions = transactions;
        this.config = config;
    }

    @Override
    public void send(Notice notice) {
        @SuppressWarnings("unchecked")
        Set<String> pending = (Set<String>) transactions.getResource(PostgresNotices.class);
        if (pending == null) {
            Set<String> fresh = new LinkedHashSet<>();
            transactions.putResource(PostgresNotices.class, fresh);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        committed.addAll(fresh);
                    }
                }
            });
            pending = fresh;
        }
        pending.add(text(notice));
    }

    @Override
    public void listen(Consumer<Notice> heard) {
        running = true;
        notifier.setDaemon(true);
        notifier.start();
        Thread listener = new Thread(() -> listenWhileRunning(heard), "charon-store-notices");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        notifier.interrupt();
        Connection connection = listening;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing is all that is left to do
            }
        }
    }

    static String text(Notice notice) {
        return notice.jobId() == null ? notice.kind().name() : notice.kind().name() + ":" + notice.jobId();
    }

    static Notice parse(String text) {
        int colon = text.indexOf(':');
        Kind kind = Kind.valueOf(colon < 0 ? text : text.substring(0, colon));
        return new Notice(kind, colon < 0 ? null : text.substring(colon + 1));
    }

    /** Sends what commits announced, each distinct notice once per turn, until the service stops. */
    private void notifyWhileRunning() {
        Set<String> turn = new LinkedHashSet<>();
        while (running) {
            try {
                turn.add(committed.take());
            } catch (InterruptedException e) {
                return;
            }
            committed.drainTo(turn);
            try (Connection connection = store.dataSource().getConnection();
                 PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, text) FROM unnest(?) AS text")) {
                notify.setString(1, CHANNEL);
                notify.setArray(2, connection.createArrayOf("text", turn.toArray()));
                notify.execute();
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.debugf("store notices not sent (%s); polling covers", e.getMessage());
                }
            }
            turn.clear();
        }
    }

    /** Holds a LISTEN connection of its own (not a pooled one), reconnecting while the service runs. */
    private void listenWhileRunning(Consumer<Notice> heard) {
        while (running) {
            try (Connection connection = connect()) {
                listening = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                // changes committed while not listening: the pollers would find them; this finds them now
                heard.accept(new Notice(Kind.CLAIMABLE, null));
                heard.accept(new Notice(Kind.EVENTS, null));
                PGConnection notices = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notices.getNotifications(1000);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            deliver(notification.getParameter(), heard);
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

    private static void deliver(String text, Consumer<Notice> heard) {
        Notice notice;
        try {
            notice = parse(text);
        } catch (IllegalArgumentException e) {
            LOG.debugf("ignoring an unknown store notice: %s", text);
            return;
        }
        try {
            heard.accept(notice);
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
