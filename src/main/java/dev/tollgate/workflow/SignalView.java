package dev.tollgate.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.watch.Signal;
import java.time.Instant;
import java.util.UUID;

/** A signal as stored, with what it led to: the answer to {@code POST /api/v1/signals} and a line of a re-evaluation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignalView(String signalId, String type, String status, String kind, String name, String metric,
                         Double value, Double threshold, String provider, String model, String fingerprint,
                         String source, Instant observedAt, String receivedBy, Instant receivedAt, String outcome,
                         String detail, UUID candidateId, UUID reevaluationId) {

    public static SignalView of(Signal s) {
        return new SignalView(s.signalId, s.type.name().toLowerCase(java.util.Locale.ROOT), s.status.name(), s.kind,
                s.name, s.metric, s.value, s.threshold, s.provider, s.model, s.modelFingerprint, s.source, s.observedAt,
                s.receivedBy, s.receivedAt, s.outcome.name(), s.detail, s.candidateId, s.reevaluationId);
    }
}
