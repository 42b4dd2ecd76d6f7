package dev.tollgate.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.approval.ApprovalViews;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A re-evaluation as the API and the UI show it (docs/drift.md): why it started, its evidence, how it ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReevaluationView(
        UUID id, UUID candidateId, String kind, String name, String version, String trigger, String reason,
        String status, String verdict, String reaction, List<String> suites, List<String> pendingSuites,
        List<CandidateView.Report> reports, List<Map<String, Object>> gates, List<Map<String, Object>> comparison,
        int signalCount, List<SignalView> signals, ApprovalViews.Task task, Instant startedAt, Instant dueAt,
        Instant judgedAt, Instant endedAt, String outcome, String decidedBy, RollbackTarget rollbackTo,
        String policyDigest) {

    /** The version a rollback was requested to. */
    public record RollbackTarget(UUID candidateId, String version) {
    }

    /** Whether it is still under way (waiting for suites or for a decision). */
    public boolean open() {
        return "RUNNING".equals(status) || "AWAITING_DECISION".equals(status);
    }
}
