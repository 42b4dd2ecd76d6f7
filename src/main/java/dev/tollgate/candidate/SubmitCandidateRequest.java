package dev.tollgate.candidate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The body of {@code POST /api/v1/candidates}. Checked by {@link CandidateValidator}. */
public record SubmitCandidateRequest(
        String kind,
        String name,
        String version,
        String artifactUri,
        String digest,
        String pipeline,
        Map<String, JsonNode> metrics,
        Map<String, JsonNode> labels,
        String description,
        JsonNode prompt) {
}
