package dev.tollgate.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import dev.tollgate.shared.LogSafe;

/**
 * How far the outbox is behind: events not yet published and the age of the oldest one, as
 * metrics ({@code tollgate_outbox_backlog_events}, {@code tollgate_outbox_backlog_age_seconds},
 * {@code tollgate_outbox_relay_active}, {@code tollgate_outbox_published_events}) and in the readiness
 * detail. A backlog does not make the instance unready: it can still take requests, and the
 * events wait safely in the database.
 */
@ApplicationScoped
@Readiness
public class OutboxBacklog implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);

    /** A snapshot of the backlog. */
    public record Snapshot(long events, double oldestAgeSeconds) {
    }

    private final DataSource dataSource;
    private final OutboxRelay relay;

    OutboxBacklog(DataSource dataSource, OutboxRelay relay) {
        this.dataSource = dataSource;
        this.relay = relay;
    }

    void registerMetrics(@Observes StartupEvent startup, MeterRegistry registry) {
        Gauge.builder("tollgate.outbox.backlog.events", this, b -> b.snapshot().events())
                .description("Committed events not yet acknowledged by Kafka").register(registry);
        Gauge.builder("tollgate.outbox.backlog.age.seconds", this, b -> b.snapshot().oldestAgeSeconds())
                .description("Age of the oldest unpublished event").register(registry);
        Gauge.builder("tollgate.outbox.relay.active", relay, r -> r.isActive() ? 1 : 0)
                .description("1 when this instance is the active outbox relay").register(registry);
        Gauge.builder("tollgate.outbox.published.events", relay, OutboxRelay::publishedCount)
                .description("Events this instance published since it started").register(registry);
    }

    public Snapshot snapshot() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     select count(*), coalesce(extract(epoch from now() - min(occurred_at)), 0)
                     from outbox_event where sent_at is null""")) {
            rs.next();
            return new Snapshot(rs.getLong(1), rs.getDouble(2));
        } catch (SQLException e) {
            // A gauge cannot fail: it shows -1, the readiness check turns DOWN, and the log says why.
            LOG.warnf("Cannot read the outbox backlog: %s", LogSafe.of(String.valueOf(e.getMessage())));
            return new Snapshot(-1, -1);
        }
    }

    @Override
    public HealthCheckResponse call() {
        Snapshot snapshot = snapshot();
        return HealthCheckResponse.named("outbox")
                .status(snapshot.events() >= 0)
                .withData("backlogEvents", snapshot.events())
                .withData("oldestUnpublishedAgeSeconds", (long) Math.ceil(snapshot.oldestAgeSeconds()))
                .withData("activeRelayHere", relay.isActive())
                .build();
    }
}
