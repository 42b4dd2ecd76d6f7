package dev.tollgate.candidate;

import dev.tollgate.shared.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Promotions as metrics, counted once their transition committed: stages entered, time spent in each stage, and
 * how promotions end (docs/operations.md, "Metrics").
 */
@ApplicationScoped
public class StageMeters {

    /** The stages that end a promotion; IN_PRODUCTION ends it well. */
    static final Set<Stage> ENDINGS = Set.of(Stage.IN_PRODUCTION, Stage.FAILED, Stage.REJECTED, Stage.CANCELLED);

    private final MeterRegistry registry;
    private final AfterCommit afterCommit;

    StageMeters(MeterRegistry registry, AfterCommit afterCommit) {
        this.registry = registry;
        this.afterCommit = afterCommit;
    }

    /**
     * The candidate moved from {@code from} (entered at {@code enteredFrom}) to {@code to} at {@code at}; a
     * {@code rollback} brings back a version whose promotion ended long ago, and ends no promotion again.
     */
    void moved(Candidate candidate, Stage from, Instant enteredFrom, Stage to, Instant at, boolean rollback) {
        if (from == to) {
            return;
        }
        String pipeline = candidate.pipeline;
        String kind = candidate.kind.name();
        afterCommit.run(() -> {
            Counter.builder("tollgate.promotion.stage.entered").description("Candidates that entered a stage")
                    .tags("stage", to.name(), "pipeline", pipeline, "kind", kind).register(registry).increment();
            // Time spent retired before a rollback brought the version back is no stage of a promotion.
            if (from != null && enteredFrom != null && !from.isTerminal()) {
                Timer.builder("tollgate.promotion.stage").description("Time spent in a stage, recorded on leaving it")
                        .tags("stage", from.name(), "pipeline", pipeline)
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                        .maximumExpectedValue(Duration.ofDays(7))
                        .register(registry).record(Duration.between(enteredFrom, at));
            }
            if (ENDINGS.contains(to) && !rollback && (from == null || !from.isTerminal())) {
                Counter.builder("tollgate.promotion.ended").description("Promotions that ended, by how")
                        .tags("outcome", to.name(), "pipeline", pipeline, "kind", kind).register(registry).increment();
            }
        });
    }
}
