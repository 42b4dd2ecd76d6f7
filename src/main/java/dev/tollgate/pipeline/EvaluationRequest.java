package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The body of {@code POST /api/v1/candidates/{id}/evaluations}. */
public record EvaluationRequest(String suite, Map<String, JsonNode> metrics, Boolean passed, String reportUri) {
}
