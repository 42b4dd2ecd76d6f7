package dev.tollgate.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.candidate.CandidateValidator;
import dev.tollgate.candidate.Kind;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.QueryParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a signal from {@code POST /api/v1/signals} or {@code tollgate.signals} field by field and reports every
 * problem at once (400 naming each field), as the submission does.
 */
public final class SignalValidator {

    /** Printable ASCII without spaces, like an Idempotency-Key: the id a monitor gives its signal. */
    static final Pattern SIGNAL_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");
    static final int MAX_TEXT = 255;
    static final int MAX_SOURCE = 1000;

    private SignalValidator() {
    }

    /** Validates a REST body (or a Kafka record's data, read as the same JSON). */
    public static ValidSignal validate(JsonNode body) {
        SignalRequest r = JsonBodies.bind(body, SignalRequest.class);
        List<FieldError> errors = new ArrayList<>();
        if (r.signalId() == null || !SIGNAL_ID.matcher(r.signalId()).matches()) {
            errors.add(new FieldError("signalId", "is required: 1 to 255 printable ASCII characters without spaces"));
        }
        Signal.Type type = null;
        if (r.type() == null) {
            errors.add(new FieldError("type", "is required (drift or provider)"));
        } else {
            try {
                type = Signal.Type.valueOf(r.type().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("type", "must be drift or provider"));
            }
        }
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
        if (r.name() == null || !CandidateValidator.NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", "is required and must match [a-z0-9][a-z0-9._-]{0,62}"));
        }
        Double value = number(r.value(), "value", errors);
        Double threshold = number(r.threshold(), "threshold", errors);
        if (type == Signal.Type.DRIFT) {
            if (r.metric() == null || !CandidateValidator.METRIC_NAME.matcher(r.metric()).matches()) {
                errors.add(new FieldError("metric", "is required for a drift signal and must match "
                        + "[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}"));
            }
            if (r.value() == null) {
                errors.add(new FieldError("value", "is required for a drift signal"));
            }
            for (String field : List.of("provider", "model", "fingerprint")) {
                if (field(r, field) != null) {
                    errors.add(new FieldError(field, "belongs to a provider signal, not a drift signal"));
                }
            }
        }
        if (type == Signal.Type.PROVIDER) {
            if (kind == Kind.MODEL) {
                errors.add(new FieldError("kind", "a provider observation is about a PROMPT"));
            }
            text(r.provider(), "provider", true, errors);
            text(r.model(), "model", true, errors);
            text(r.fingerprint(), "fingerprint", false, errors);
            for (String field : List.of("metric", "value", "threshold")) {
                if (field(r, field) != null) {
                    errors.add(new FieldError(field, "belongs to a drift signal, not a provider signal"));
                }
            }
        }
        if (r.source() != null && (r.source().isBlank() || r.source().length() > MAX_SOURCE)) {
            errors.add(new FieldError("source", "must be 1 to " + MAX_SOURCE + " characters"));
        }
        Instant observedAt = null;
        try {
            observedAt = QueryParams.instant("observedAt", r.observedAt());
        } catch (ProblemException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        Map<String, Object> data = JsonBodies.toMap(body);
        return ValidSignal.of(r.signalId(), type, Signal.Status.FIRING, kind, r.name(), r.metric(), value, threshold,
                strip(r.provider()), strip(r.model()), strip(r.fingerprint()), null, r.source(), observedAt, data);
    }

    private static Object field(SignalRequest r, String name) {
        return switch (name) {
            case "provider" -> r.provider();
            case "model" -> r.model();
            case "fingerprint" -> r.fingerprint();
            case "metric" -> r.metric();
            case "value" -> r.value();
            case "threshold" -> r.threshold();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Double number(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            errors.add(new FieldError(field, "must be a finite number"));
            return null;
        }
        return node.doubleValue();
    }

    private static void text(String value, String field, boolean required, List<FieldError> errors) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required for a provider signal"));
            }
        } else if (value.isBlank() || value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "must be 1 to " + MAX_TEXT + " characters"));
        }
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }
}
