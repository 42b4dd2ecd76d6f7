package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/candidates/{id}/evaluations}. For a PROMPT, {@code observed} says what answered
 * during the evaluation (the provider, the model it reported, its fingerprint or snapshot id): the snapshot the
 * version is pinned to once it serves (docs/drift.md).
 */
public record EvaluationRequest(@Schema(required = true, pattern = "[a-z0-9][a-z0-9._-]{0,62}") String suite,
                                @Schema(description = "Numbers, by metric name.") Map<String, JsonNode> metrics,
                                Boolean passed, String reportUri, Observed observed) {

    /** What answered during an evaluation, as the provider reported it. */
    public record Observed(String provider, @Schema(required = true) String model, String fingerprint) {
    }
}
