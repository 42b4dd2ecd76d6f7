package dev.tollgate.web;

import dev.tollgate.workflow.CandidateView;
import dev.tollgate.workflow.ReevaluationView;
import dev.tollgate.workflow.SignalView;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a re-evaluation found, as the re-evaluation page and its decision task show it: the gates judged again (the
 * baseline is the original evaluation's value), the metrics then and now, the signals it took in, and for a prompt
 * whose provider changed, the pinned snapshot beside the observed one.
 */
public record ReevaluationEvidence(ReevaluationView reevaluation, List<CandidateView.Gate> gates,
                                   List<Comparison> comparison, SnapshotPair providerChange, boolean pinnedSince) {

    /** One metric in the original evaluation and now. */
    public record Comparison(String metric, Double original, Double now) {
        public boolean changed() {
            return !Objects.equals(original, now);
        }
    }

    /**
     * {@code candidate} is the re-evaluated version: its pinned snapshot is compared with the last provider signal the
     * re-evaluation took in. {@code pinnedSince} says the pinned snapshot was replaced after the re-evaluation started
     * (a pass or a "keep" pins what the provider answers now).
     */
    static ReevaluationEvidence of(ReevaluationView r, CandidateView candidate) {
        List<CandidateView.Gate> gates = r.gates() == null ? List.of() : r.gates().stream().map(ReevaluationEvidence::gate)
                .toList();
        List<Comparison> comparison = r.comparison() == null ? List.of() : r.comparison().stream()
                .map(m -> new Comparison(text(m.get("metric")), number(m.get("original")), number(m.get("now"))))
                .toList();
        CandidateView.Snapshot observed = r.signals().stream()
                .filter(s -> "provider".equals(s.type()) && s.model() != null)
                .reduce((first, second) -> second).map(ReevaluationEvidence::snapshot).orElse(null);
        CandidateView.Snapshot pinned = candidate.watch() == null ? null : candidate.watch().pinned();
        SnapshotPair change = observed == null ? null : SnapshotPair.of(pinned, observed);
        boolean pinnedSince = pinned != null && pinned.at() != null && r.startedAt() != null
                && pinned.at().isAfter(r.startedAt());
        return new ReevaluationEvidence(r, gates, comparison, change, change != null && pinnedSince);
    }

    private static CandidateView.Snapshot snapshot(SignalView s) {
        return new CandidateView.Snapshot(s.provider(), s.model(), s.fingerprint(),
                "signal" + (s.source() == null ? "" : " from " + s.source()),
                s.observedAt() != null ? s.observedAt() : s.receivedAt());
    }

    private static CandidateView.Gate gate(Map<String, Object> m) {
        return new CandidateView.Gate(text(m.get("gate")), text(m.get("metric")), number(m.get("value")),
                text(m.get("operator")), number(m.get("bound")), number(m.get("baseline")),
                Boolean.TRUE.equals(m.get("passed")), text(m.get("detail")));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}
