package dev.tollgate.workflow;

import dev.tollgate.shared.CachedReading;
import dev.tollgate.shared.LogSafe;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.tollgate.shared.BackgroundLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fires due timers. Every replica may run it: a due timer is claimed with
 * {@code FOR UPDATE SKIP LOCKED} in the transaction that handles it, so exactly one replica fires
 * it, and a crash before the commit leaves it due for the next poll. Timers that came due while no
 * instance ran fire at the first poll after start-up.
 */
@ApplicationScoped
public class TimerScheduler {

    private static final Logger LOG = Logger.getLogger(TimerScheduler.class);

    private final EntityManager em;
    private final TimerHandlers handlers;
    private final Clock clock;
    private final Duration pollInterval;
    private final boolean enabled;
    private BackgroundLoop loop;

    TimerScheduler(EntityManager em, TimerHandlers handlers, Clock clock,
                   @ConfigProperty(name = "tollgate.timers.poll-interval", defaultValue = "1s") Duration pollInterval,
                   @ConfigProperty(name = "tollgate.timers.enabled", defaultValue = "true") boolean enabled) {
        this.em = em;
        this.handlers = handlers;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.enabled = enabled;
    }

    /**
     * Due timers not fired for more than a minute: a scheduler that stopped (or a database that keeps failing its
     * transactions) shows here, on any replica (docs/operations.md, "Alerts and dashboards").
     */
    void registerMetrics(@Observes StartupEvent startup, MeterRegistry registry, DataSource dataSource) {
        CachedReading<Long> overdue = new CachedReading<>(() -> overdue(dataSource), Duration.ofSeconds(5));
        // The gauge would hold a weak reference to the reading, its only holder: a garbage collection would turn it to NaN.
        Gauge.builder("tollgate.timers.overdue", overdue, r -> r.valueOr(Long::doubleValue)).strongReference(true)
                .description("Timers due for more than a minute and not fired").register(registry);
    }

    private static Long overdue(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     select count(*) from scheduled_timer
                     where fired_at is null and cancelled_at is null and due_at < now() - interval '1 minute'""")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            LOG.warnf("Cannot read the overdue timers: %s", LogSafe.of(String.valueOf(e.getMessage())));
            return null;
        }
    }

    void start(@Observes StartupEvent startup) {
        if (!enabled) {
            return;
        }
        loop = new BackgroundLoop("timer-scheduler", pollInterval, () -> {
            while (!Thread.currentThread().isInterrupted() && fireNext()) {
                // keep firing while timers are due
            }
        }, LOG);
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Claims and fires one due timer; returns false when none is due. */
    boolean fireNext() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<ScheduledTimer> due = em.createQuery("""
                            from ScheduledTimer where firedAt is null and cancelledAt is null and dueAt <= :now
                            order by dueAt""", ScheduledTimer.class)
                    .setParameter("now", clock.instant())
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .setHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                    .setMaxResults(1)
                    .getResultList();
            if (due.isEmpty()) {
                return false;
            }
            ScheduledTimer timer = due.get(0);
            timer.firedAt = clock.instant();
            org.jboss.logging.MDC.put("candidateId", timer.candidateId.toString());
            try {
                handlers.fire(timer);
            } finally {
                org.jboss.logging.MDC.remove("candidateId");
            }
            return true;
        });
    }
}
