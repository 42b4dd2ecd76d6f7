package dev.tollgate.approval;

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

/**
 * Open approval tasks, a promotion's and a re-evaluation's, and those past their due time (the approval SLA): read
 * like the other gauges, on a connection of their own at most every few seconds.
 */
@ApplicationScoped
class ApprovalGauges {

    private static final Logger LOG = Logger.getLogger(ApprovalGauges.class);
    private static final List<String> TASKS = List.of("promotion", "reevaluation");

    private record Open(long open, long overdue) {
    }

    private final CachedReading<Map<String, Open>> reading;

    ApprovalGauges(DataSource dataSource) {
        this.reading = new CachedReading<>(() -> read(dataSource), Duration.ofSeconds(5));
    }

    void register(@Observes StartupEvent startup, MeterRegistry registry) {
        for (String task : TASKS) {
            Gauge.builder("tollgate.approval.tasks.open", this, g -> g.reading.valueOr(m -> open(m, task).open()))
                    .description("Open approval tasks").tag("task", task).register(registry);
            Gauge.builder("tollgate.approval.tasks.overdue", this, g -> g.reading.valueOr(m -> open(m, task).overdue()))
                    .description("Open approval tasks past their due time").tag("task", task).register(registry);
        }
    }

    private static Open open(Map<String, Open> byTask, String task) {
        return byTask.getOrDefault(task, new Open(0, 0));
    }

    private static Map<String, Open> read(DataSource dataSource) {
        Map<String, Open> byTask = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     select case when reevaluation_id is null then 'promotion' else 'reevaluation' end as task,
                            count(*) as open, count(*) filter (where due_at < now()) as overdue
                     from approval_task where status = 'OPEN' group by 1""")) {
            while (rs.next()) {
                byTask.put(rs.getString("task"), new Open(rs.getLong("open"), rs.getLong("overdue")));
            }
        } catch (SQLException e) {
            LOG.warnf("Cannot read the open approval tasks: %s", LogSafe.of(String.valueOf(e.getMessage())));
            return null;
        }
        return byTask;
    }
}
