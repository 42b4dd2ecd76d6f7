package dev.tollgate.watch;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/signals}, and the {@code data} of a signal on {@code tollgate.signals}: a drift
 * alert ({@code type: drift}: metric, value, threshold) or a provider observation for a PROMPT
 * ({@code type: provider}: the provider, the model it says answered, its fingerprint or snapshot id).
 */
public record SignalRequest(@Schema(required = true, maxLength = 255) String signalId,
                            @Schema(required = true, enumeration = {"drift", "provider"}) String type,
                            @Schema(required = true, enumeration = {"MODEL", "PROMPT"}) String kind,
                            @Schema(required = true, pattern = "[a-z0-9][a-z0-9._-]{0,62}") String name,
                            @Schema(description = "Drift: required.") String metric,
                            @Schema(description = "Drift: required, a number.") JsonNode value,
                            @Schema(description = "Drift: the monitor's own bound, a number.") JsonNode threshold,
                            @Schema(description = "Provider: required.") String provider,
                            @Schema(description = "Provider: required.") String model,
                            @Schema(description = "Provider: required.") String fingerprint, String source,
                            @Schema(format = "date-time") String observedAt) {
}
