package dev.tollgate.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.approval.ApprovalViews;
import dev.tollgate.breakglass.BreakGlassView;
import dev.tollgate.freeze.FreezeViews;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A candidate as the API shows it (contract.md, "Candidate view"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CandidateView(
        UUID id, String kind, String name, String version, String digest, String artifactUri,
        Map<String, Object> prompt, String pipeline, String policyDigest, String stage, String status,
        String submittedBy, Instant submittedAt, Map<String, Double> metrics, Map<String, String> labels,
        String description, Evaluation evaluation, Risk risk, ApprovalViews.Summary approvals, Release release,
        Watch watch, FreezeViews.Hold hold, BreakGlassView breakGlass) {

    public record Evaluation(List<String> required, List<String> pending, List<Report> reports, List<Gate> gates) {
    }

    /** An evaluation suite's report. */
    public record Report(String suite, Boolean passed, Map<String, Double> metrics, String reportUri, String by,
                         Instant at) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gate(String gate, String metric, Double value, String operator, Double bound, Double baseline,
                       boolean passed, String detail) {
    }

    public record Risk(String tier, List<String> reasons) {
    }

    @Schema(name = "CandidateRelease")
    public record Release(String environment, Instant since) {
    }

    /**
     * How a version that serves (or served) in production is watched (docs/drift.md): for a prompt, the model snapshot
     * it was evaluated with and the one its provider last answered with, whether its model is a floating alias; its
     * verification window; the re-evaluation under way, if any.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Watch(Snapshot pinned, Snapshot lastObserved, Boolean floatingAlias, Verification verification,
                        Reevaluation reevaluation) {
    }

    /** A provider's model snapshot: who answered, with which model and fingerprint; {@code from} says how it was learnt. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Snapshot(String provider, String model, String fingerprint, String from, Instant at) {
    }

    /** The window after a release in which a signal beyond its bound fails the release at once. */
    public record Verification(Instant from, Instant until, String status) {
    }

    /** The re-evaluation under way. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reevaluation(UUID id, String status, String trigger, String reason, Instant startedAt,
                               List<String> pendingSuites, int signals, UUID taskId) {
    }

    /** One entry of {@code GET /candidates/{id}/history}. */
    public record History(int seq, Instant at, String type, String from, String to, String actor, String reason) {
    }
}
