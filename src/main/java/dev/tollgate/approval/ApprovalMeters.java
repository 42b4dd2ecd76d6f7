package dev.tollgate.approval;

import dev.tollgate.shared.AfterCommit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Approval lead time, from a task's opening to its close, recorded once the close committed. */
@ApplicationScoped
class ApprovalMeters {

    private final MeterRegistry registry;
    private final AfterCommit afterCommit;

    ApprovalMeters(MeterRegistry registry, AfterCommit afterCommit) {
        this.registry = registry;
        this.afterCommit = afterCommit;
    }

    void closed(ApprovalTask task) {
        Duration lead = Duration.between(task.createdAt, task.closedAt);
        String kind = task.decidesReevaluation() ? "reevaluation" : "promotion";
        String tier = task.tier == null ? "NONE" : task.tier;
        String outcome = task.status.name();
        afterCommit.run(() -> Timer.builder("tollgate.approval.lead.time")
                .description("From an approval task's opening to its close")
                .tags("task", kind, "tier", tier, "outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofDays(14))
                .register(registry).record(lead));
    }
}
