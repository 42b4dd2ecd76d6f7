package dev.tollgate.events;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wakes the active outbox relay, on whichever replica it runs, after a transaction that wrote events
 * has committed.
 *
 * <p>The wake-up is a PostgreSQL {@code NOTIFY} on {@link OutboxRelay#CHANNEL}, but never inside the
 * writer's transaction: a transaction that notifies takes a database-wide lock at commit and holds
 * it through the commit's WAL flush, which would serialize every writer on every replica behind it
 * (ADR 0010). Instead the writer's commit hands the wake-up to this notifier's one thread,
 * which sends it from its own session, outside any request, with {@code synchronous_commit} off (a
 * notification needs no durability). Wake-ups asked for while one is still queued are coalesced:
 * the queued one is sent after their commits, so the relay sees their rows.
 *
 * <p>A lost wake-up (the notifier's session is down) only delays publication to the relay's
 * poll interval; it never loses an event, which is in the outbox table.
 */
@ApplicationScoped
public class OutboxNotifier {

    private static final Logger LOG = Logger.getLogger(OutboxNotifier.class);
    private static final Object REGISTERED = new Object();

    private final TransactionSynchronizationRegistry transactions;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "outbox-notifier");
        t.setDaemon(true);
        return t;
    });

    private Connection session; // used by the notifier's thread only

    OutboxNotifier(TransactionSynchronizationRegistry transactions,
                   @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                   @ConfigProperty(name = "quarkus.datasource.username") String username,
                   @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.transactions = transactions;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /** Asks for a wake-up once the current transaction commits; nothing happens if it rolls back. */
    void afterCommit() {
        if (transactions.getResource(REGISTERED) != null) {
            return;
        }
        transactions.putResource(REGISTERED, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // the wake-up waits for the commit
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    wake();
                }
            }
        });
    }

    /** Sends a wake-up soon, unless one is already queued. */
    void wake() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(() -> {
                queued.set(false);
                send();
            });
        } catch (RejectedExecutionException shuttingDown) {
            queued.set(false);
        }
    }

    private void send() {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                if (session == null) {
                    session = DriverManager.getConnection(jdbcUrl, username, password);
                    try (Statement settings = session.createStatement()) {
                        settings.execute("set synchronous_commit to off");
                        settings.execute("set application_name to 'tollgate-outbox-notifier'");
                    }
                }
                try (Statement notify = session.createStatement()) {
                    notify.execute("notify " + OutboxRelay.CHANNEL);
                }
                return;
            } catch (SQLException e) {
                closeSession(); // a session broken since the last wake-up: the second attempt opens a new one
                if (attempt == 2) {
                    LOG.debugf("Outbox wake-up not sent (%s); the relay's poll interval covers it", e.getMessage());
                }
            }
        }
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // already broken
            }
            session = null;
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        try {
            thread.execute(this::closeSession);
        } catch (RejectedExecutionException alreadyStopped) {
            return;
        }
        thread.shutdown();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
