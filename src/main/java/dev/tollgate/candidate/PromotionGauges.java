package dev.tollgate.candidate;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Promotions under way, per stage: how many, and how long the oldest has waited in it (a stuck promotion shows
 * here first). Read with one query at most every few seconds, on a connection of its own: a gauge is read by the
 * scraper outside any request or transaction.
 */
@ApplicationScoped
public class PromotionGauges {

    private static final Logger LOG = Logger.getLogger(PromotionGauges.class);
    /** The stages a promotion waits in; IN_PRODUCTION is where it ends well, not a wait. */
    static final List<Stage> WAITING = Arrays.stream(Stage.values())
            .filter(s -> !s.isTerminal() && s != Stage.IN_PRODUCTION).toList();

    private record Waiting(long count, double oldestSeconds) {
    }

    private final CachedReading<Map<Stage, Waiting>> reading;

    PromotionGauges(DataSource dataSource) {
        this.reading = new CachedReading<>(() -> read(dataSource), Duration.ofSeconds(5));
    }

    void register(@Observes StartupEvent startup, MeterRegistry registry) {
        for (Stage stage : WAITING) {
            Gauge.builder("tollgate.promotions.active", this, g -> g.reading.valueOr(m -> waiting(m, stage).count()))
                    .description("Candidates now in this stage").tag("stage", stage.name()).register(registry);
            Gauge.builder("tollgate.promotion.oldest.active.seconds", this,
                            g -> g.reading.valueOr(m -> waiting(m, stage).oldestSeconds()))
                    .description("How long the oldest candidate in this stage has been in it")
                    .tag("stage", stage.name()).register(registry);
        }
    }

    private static Waiting waiting(Map<Stage, Waiting> byStage, Stage stage) {
        return byStage.getOrDefault(stage, new Waiting(0, 0));
    }

    private static Map<Stage, Waiting> read(DataSource dataSource) {
        Map<Stage, Waiting> byStage = new HashMap<>();
        StringBuilder stages = new StringBuilder();
        for (Stage stage : WAITING) {
            stages.append(stages.isEmpty() ? "" : ",").append('\'').append(stage.name()).append('\'');
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select stage, count(*) as waiting, coalesce(extract(epoch from now() - "
                     + "min(stage_entered_at)), 0) as oldest from candidate where stage in (" + stages
                     + ") group by stage")) {
            while (rs.next()) {
                byStage.put(Stage.valueOf(rs.getString("stage")),
                        new Waiting(rs.getLong("waiting"), rs.getDouble("oldest")));
            }
        } catch (SQLException e) {
            LOG.warnf("Cannot read the promotions under way: %s", LogSafe.of(String.valueOf(e.getMessage())));
            return null;
        }
        return byStage;
    }
}
