package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/candidates/{id}/evaluations}. For a PROMPT, {@code observed} says what answered
 * during the evaluation (the provider, the model it reported, its fingerprint or snapshot id): the snapshot the
 * version is pinned to once it serves (docs/drift.md).
 */
public record EvaluationRequest(String suite, Map<String, JsonNode> metrics, Boolean passed, String reportUri,
                                Observed observed) {

    /** What answered during an evaluation, as the provider reported it. */
    public record Observed(String provider, String model, String fingerprint) {
    }
}
