package dev.tollgate.candidate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.shared.CanonicalJson;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a submission field by field and reports every problem at once, so that a CI job learns
 * all that is wrong with its request from one response.
 *
 * <p>Longer than 200 lines on purpose: one rule per field of the submission contract, read top to bottom like docs/api.md.
 */
public final class CandidateValidator {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?");
    public static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");
    static final int MAX_METRICS = 200;
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_VALUE = 256;
    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_URI = 2048;
    private static final List<String> PROMPT_FIELDS = List.of("template", "provider", "model", "parameters");

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    /** A submission that passed every check, with its values in their final types. */
    public record Valid(Kind kind, String name, String version, String artifactUri, String digest, String pipeline,
                 Map<String, Double> metrics, Map<String, String> labels, String description, JsonNode prompt) {
    }

    /**
     * A submission request as the submit command takes it: the valid fields, the fingerprint of the body
     * (an Idempotency-Key's retry must send the same one) and the key.
     */
    public record NewCandidate(Valid valid, String requestHash, String idempotencyKey) {
    }

    private CandidateValidator() {
    }

    /** Checks the body of {@code POST /candidates} and its Idempotency-Key; 400 naming every field otherwise. */
    public static NewCandidate submission(JsonNode body, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.validation(List.of(new FieldError("Idempotency-Key",
                    "must be 1 to 255 printable ASCII characters without spaces")));
        }
        Valid valid = validate(JsonBodies.bind(body, SubmitCandidateRequest.class));
        return new NewCandidate(valid, CanonicalJson.fingerprint(body), idempotencyKey);
    }

    static Valid validate(SubmitCandidateRequest r) {
        List<FieldError> errors = new ArrayList<>();

        Kind kind = null;
        if (r.kind() == null) {
            errors.add(new FieldError("kind", "is required (MODEL or PROMPT)"));
        } else {
            try {
                kind = Kind.valueOf(r.kind());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("kind", "must be MODEL or PROMPT"));
            }
        }
        if (r.name() == null) {
            errors.add(new FieldError("name", "is required"));
        } else if (!NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", "must match [a-z0-9][a-z0-9._-]{0,62}"));
        }
        if (r.version() == null) {
            errors.add(new FieldError("version", "is required"));
        } else if (r.version().length() > 64 || !PRINTABLE.matcher(r.version()).matches()) {
            errors.add(new FieldError("version", "must be 1 to 64 printable ASCII characters, not starting or ending with a space"));
        }
        if (r.digest() == null) {
            errors.add(new FieldError("digest", "is required"));
        } else if (!DIGEST.matcher(r.digest()).matches()) {
            errors.add(new FieldError("digest", "must be sha256: followed by 64 lower-case hex digits"));
        }
        if (r.pipeline() != null && !NAME.matcher(r.pipeline()).matches()) {
            errors.add(new FieldError("pipeline", "must match [a-z0-9][a-z0-9._-]{0,62}"));
        }
        if (r.artifactUri() != null) {
            checkUri(r.artifactUri(), errors);
        }
        if (r.description() != null && r.description().length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }

        Map<String, Double> metrics = metrics(r.metrics(), errors);
        Map<String, String> labels = labels(r.labels(), errors);

        if (kind == Kind.MODEL && r.artifactUri() == null) {
            errors.add(new FieldError("artifactUri", "is required for a MODEL"));
        }
        if (kind == Kind.MODEL && r.prompt() != null) {
            errors.add(new FieldError("prompt", "is only allowed for a PROMPT"));
        }
        if (kind == Kind.PROMPT) {
            checkPrompt(r.prompt(), r.digest(), errors);
        }

        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new Valid(kind, r.name(), r.version(), r.artifactUri(), r.digest(),
                r.pipeline() == null ? defaultPipeline(kind) : r.pipeline(), metrics, labels, r.description(),
                r.prompt());
    }

    static String defaultPipeline(Kind kind) {
        return kind == Kind.PROMPT ? "prompt" : "standard";
    }

    private static void checkUri(String value, List<FieldError> errors) {
        if (value.length() > MAX_URI) {
            errors.add(new FieldError("artifactUri", "must be at most " + MAX_URI + " characters"));
            return;
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null) {
                errors.add(new FieldError("artifactUri", "must be an absolute URI such as s3://bucket/path"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError("artifactUri", "is not a valid URI: " + e.getReason()));
        }
    }

    private static Map<String, Double> metrics(Map<String, JsonNode> raw, List<FieldError> errors) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (raw == null) {
            return metrics;
        }
        if (raw.size() > MAX_METRICS) {
            errors.add(new FieldError("metrics", "must have at most " + MAX_METRICS + " entries"));
            return metrics;
        }
        raw.forEach((name, value) -> {
            String field = "metrics." + name;
            if (!METRIC_NAME.matcher(name).matches()) {
                errors.add(new FieldError(field, "metric names must match [A-Za-z0-9][A-Za-z0-9._:/-]{0,127}"));
            } else if (value == null || !value.isNumber()) {
                errors.add(new FieldError(field, "must be a number"));
            } else if (!Double.isFinite(value.doubleValue())) {
                errors.add(new FieldError(field, "must be a finite number"));
            } else {
                metrics.put(name, value.doubleValue());
            }
        });
        return metrics;
    }

    private static Map<String, String> labels(Map<String, JsonNode> raw, List<FieldError> errors) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (raw == null) {
            return labels;
        }
        if (raw.size() > MAX_LABELS) {
            errors.add(new FieldError("labels", "must have at most " + MAX_LABELS + " entries"));
            return labels;
        }
        raw.forEach((key, value) -> {
            String field = "labels." + key;
            if (!LABEL_KEY.matcher(key).matches()) {
                errors.add(new FieldError(field, "label keys must match [A-Za-z0-9][A-Za-z0-9._/-]{0,62}"));
            } else if (value == null || !value.isTextual()) {
                errors.add(new FieldError(field, "must be a string"));
            } else if (value.textValue().length() > MAX_LABEL_VALUE) {
                errors.add(new FieldError(field, "must be at most " + MAX_LABEL_VALUE + " characters"));
            } else {
                labels.put(key, value.textValue());
            }
        });
        return labels;
    }

    private static void checkPrompt(JsonNode prompt, String digest, List<FieldError> errors) {
        if (prompt == null || prompt.isNull()) {
            errors.add(new FieldError("prompt", "is required for a PROMPT"));
            return;
        }
        if (!prompt.isObject()) {
            errors.add(new FieldError("prompt", "must be an object"));
            return;
        }
        int before = errors.size();
        prompt.fieldNames().forEachRemaining(field -> {
            if (!PROMPT_FIELDS.contains(field)) {
                errors.add(new FieldError("prompt." + field, "unknown field"));
            }
        });
        for (String field : List.of("template", "provider", "model")) {
            JsonNode value = prompt.get(field);
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                errors.add(new FieldError("prompt." + field, "is required and must be a non-empty string"));
            }
        }
        JsonNode parameters = prompt.get("parameters");
        if (parameters != null && !parameters.isObject()) {
            errors.add(new FieldError("prompt.parameters", "must be an object"));
        }
        if (errors.size() == before && digest != null && DIGEST.matcher(digest).matches()) {
            String expected;
            try {
                expected = CanonicalJson.sha256(prompt);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("prompt", e.getMessage()));
                return;
            }
            if (!expected.equals(digest)) {
                errors.add(new FieldError("digest", "does not match the prompt: the SHA-256 of its RFC 8785 "
                        + "canonical form is " + expected));
            }
        }
    }
}
