package dev.tollgate.candidate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/candidates}. Checked by {@link CandidateValidator}. */
public record SubmitCandidateRequest(
        @Schema(required = true, enumeration = {"MODEL", "PROMPT"}) String kind,
        @Schema(required = true, pattern = "[a-z0-9][a-z0-9._-]{0,62}") String name,
        @Schema(required = true, maxLength = 64) String version,
        @Schema(description = "Required for a MODEL: an absolute URI such as s3://bucket/path.") String artifactUri,
        @Schema(required = true, pattern = "sha256:[0-9a-f]{64}",
                description = "For a PROMPT, the SHA-256 of the prompt's RFC 8785 canonical form.") String digest,
        @Schema(description = "standard for a MODEL and prompt for a PROMPT when omitted.") String pipeline,
        @Schema(description = "Numbers, by metric name (at most 200).") Map<String, JsonNode> metrics,
        @Schema(description = "Strings, by label name (at most 64).") Map<String, JsonNode> labels,
        String description,
        @Schema(description = "Required for a PROMPT: {template, provider, model, parameters?}.") JsonNode prompt) {
}
