package dev.tollgate.watch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/signals}, and the {@code data} of a signal on {@code tollgate.signals}: a drift
 * alert ({@code type: drift}: metric, value, threshold) or a provider observation for a PROMPT
 * ({@code type: provider}: the provider, the model it says answered, its fingerprint or snapshot id).
 */
public record SignalRequest(String signalId, String type, String kind, String name, String metric, JsonNode value,
                            JsonNode threshold, String provider, String model, String fingerprint, String source,
                            String observedAt) {
}
