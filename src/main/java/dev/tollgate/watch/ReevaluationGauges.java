package dev.tollgate.watch;

import dev.tollgate.shared.CachedReading;
import dev.tollgate.shared.LogSafe;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** Re-evaluations under way, waiting for suites or for a decision: a gauge read like the others. */
@ApplicationScoped
class ReevaluationGauges {

    private static final Logger LOG = Logger.getLogger(ReevaluationGauges.class);
    private static final List<Reevaluation.Status> OPEN = List.of(Reevaluation.Status.RUNNING,
            Reevaluation.Status.AWAITING_DECISION);

    private final CachedReading<Map<String, Long>> reading;

    ReevaluationGauges(DataSource dataSource) {
        this.reading = new CachedReading<>(() -> read(dataSource), Duration.ofSeconds(5));
    }

    void register(@Observes StartupEvent startup, MeterRegistry registry) {
        for (Reevaluation.Status status : OPEN) {
            Gauge.builder("tollgate.reevaluations.open", this, g -> g.reading.valueOr(m -> m.getOrDefault(status.name(), 0L)))
                    .description("Re-evaluations under way").tag("status", status.name()).register(registry);
        }
    }

    private static Map<String, Long> read(DataSource dataSource) {
        Map<String, Long> byStatus = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     select status, count(*) as open from reevaluation
                     where status in ('RUNNING', 'AWAITING_DECISION') group by status""")) {
            while (rs.next()) {
                byStatus.put(rs.getString("status"), rs.getLong("open"));
            }
        } catch (SQLException e) {
            LOG.warnf("Cannot read the re-evaluations under way: %s", LogSafe.of(String.valueOf(e.getMessage())));
            return null;
        }
        return byStatus;
    }
}
