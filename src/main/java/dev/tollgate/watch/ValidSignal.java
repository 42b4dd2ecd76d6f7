package dev.tollgate.watch;

import dev.tollgate.candidate.Kind;
import dev.tollgate.shared.CanonicalJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signal that passed validation, in its final types, from any door (REST, Alertmanager, Kafka).
 * {@code contentHash} tells a retry of the same signal from another signal that reuses its id.
 */
public record ValidSignal(String signalId, Signal.Type type, Signal.Status status, Kind kind, String name,
                          String metric, Double value, Double threshold, String provider, String model,
                          String fingerprint, String alertKey, String source, Instant observedAt,
                          Map<String, Object> data, String contentHash) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A signal whose content, not only its id, must match a retry's. */
    static ValidSignal of(String signalId, Signal.Type type, Signal.Status status, Kind kind, String name,
                          String metric, Double value, Double threshold, String provider, String model,
                          String fingerprint, String alertKey, String source, Instant observedAt,
                          Map<String, Object> data) {
        Map<String, Object> understood = new LinkedHashMap<>();
        understood.put("type", type.name());
        understood.put("status", status.name());
        understood.put("kind", kind.name());
        understood.put("name", name);
        understood.put("metric", metric);
        understood.put("value", value);
        understood.put("threshold", threshold);
        understood.put("provider", provider);
        understood.put("model", model);
        understood.put("fingerprint", fingerprint);
        understood.put("source", source);
        understood.put("observedAt", observedAt == null ? null : observedAt.toString());
        String hash = CanonicalJson.fingerprint(JSON.valueToTree(understood));
        return new ValidSignal(signalId, type, status, kind, name, metric, value, threshold, provider, model,
                fingerprint, alertKey, source, observedAt, data, hash);
    }

    /**
     * An alert that Alertmanager sends again with the same id while it keeps firing: its annotations (the value)
     * may change between notifications, so only the id identifies it.
     */
    ValidSignal identifiedByIdOnly() {
        return new ValidSignal(signalId, type, status, kind, name, metric, value, threshold, provider, model,
                fingerprint, alertKey, source, observedAt, data,
                CanonicalJson.sha256(signalId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
