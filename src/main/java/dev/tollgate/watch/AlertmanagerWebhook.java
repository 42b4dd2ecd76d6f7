package dev.tollgate.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.candidate.CandidateValidator;
import dev.tollgate.candidate.Kind;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Prometheus Alertmanager's webhook payload (version 4) exactly as Alertmanager sends it: each alert whose
 * labels name a subject ({@code tollgate_kind}, {@code tollgate_name}, and optionally {@code tollgate_metric}) becomes a
 * drift signal; an alert without them is ignored and said so. An alert keeps its id while it fires (Alertmanager
 * repeats it), and its resolution is a signal of its own that finds the firing one by fingerprint and start.
 */
public final class AlertmanagerWebhook {

    public static final String KIND_LABEL = "tollgate_kind";
    public static final String NAME_LABEL = "tollgate_name";
    public static final String METRIC_LABEL = "tollgate_metric";
    public static final String THRESHOLD_LABEL = "tollgate_threshold";

    /** One alert of the payload: a signal, or the reason it is not one. */
    public record Alert(String fingerprint, String status, ValidSignal signal, String ignored) {
    }

    private AlertmanagerWebhook() {
    }

    /** The payload's alerts; 400 when the body is not an Alertmanager webhook payload at all. */
    public static List<Alert> read(JsonNode body) {
        JsonNode version = body.get("version");
        if (version != null && !"4".equals(version.asText())) {
            throw ProblemException.validation(List.of(new FieldError("version",
                    "must be \"4\", the webhook payload version Alertmanager sends")));
        }
        JsonNode alerts = body.get("alerts");
        if (alerts == null || !alerts.isArray()) {
            throw ProblemException.validation(List.of(new FieldError("alerts",
                    "is required: the array of alerts of an Alertmanager webhook payload")));
        }
        List<Alert> read = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            read.add(alert(body, alerts.get(i), "alerts." + i));
        }
        return read;
    }

    private static Alert alert(JsonNode payload, JsonNode alert, String at) {
        if (!alert.isObject()) {
            throw ProblemException.validation(List.of(new FieldError(at, "must be an object")));
        }
        List<FieldError> errors = new ArrayList<>();
        String fingerprint = alert.path("fingerprint").asText(null);
        if (fingerprint == null || !SignalValidator.SIGNAL_ID.matcher(fingerprint).matches() || fingerprint.length() > 64) {
            errors.add(new FieldError(at + ".fingerprint", "is required: Alertmanager's fingerprint of the alert"));
        }
        String status = alert.path("status").asText("").toLowerCase(Locale.ROOT);
        if (!status.equals("firing") && !status.equals("resolved")) {
            errors.add(new FieldError(at + ".status", "must be firing or resolved"));
        }
        Instant startsAt = instant(alert.path("startsAt").asText(null));
        if (startsAt == null) {
            errors.add(new FieldError(at + ".startsAt", "is required (RFC 3339)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        JsonNode labels = alert.path("labels");
        String kindLabel = labels.path(KIND_LABEL).asText(null);
        String name = labels.path(NAME_LABEL).asText(null);
        if (kindLabel == null || name == null) {
            return new Alert(fingerprint, status, null, "no " + KIND_LABEL + " and " + NAME_LABEL
                    + " labels: the alert is not about a model or prompt Tollgate gates");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(kindLabel.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new Alert(fingerprint, status, null, KIND_LABEL + " must be MODEL or PROMPT, not '" + kindLabel + "'");
        }
        if (!CandidateValidator.NAME.matcher(name).matches()) {
            return new Alert(fingerprint, status, null, NAME_LABEL + " '" + name + "' is not a candidate name");
        }
        String alertname = labels.path("alertname").asText("alert");
        String metric = labels.path(METRIC_LABEL).asText(alertname);
        if (!CandidateValidator.METRIC_NAME.matcher(metric).matches()) {
            return new Alert(fingerprint, status, null, "the metric '" + metric + "' is not a metric name");
        }
        JsonNode annotations = alert.path("annotations");
        Double value = number(annotations.path("tollgate_value").asText(annotations.path("value").asText(null)));
        Double threshold = number(labels.path(THRESHOLD_LABEL).asText(annotations.path(THRESHOLD_LABEL).asText(null)));
        Signal.Status signalStatus = status.equals("firing") ? Signal.Status.FIRING : Signal.Status.RESOLVED;
        String alertKey = fingerprint + "@" + startsAt;
        String generator = alert.path("generatorURL").asText("");
        String source = "alertmanager " + payload.path("receiver").asText("") + ": " + alertname
                + (generator.isEmpty() ? "" : " (" + generator + ")");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("receiver", payload.path("receiver").asText(null));
        data.put("groupKey", payload.path("groupKey").asText(null));
        data.put("externalURL", payload.path("externalURL").asText(null));
        data.put("alert", JsonBodies.toMap(alert));
        ValidSignal signal = ValidSignal.of("alertmanager:" + alertKey + ":" + status, Signal.Type.DRIFT, signalStatus,
                kind, name, metric, value, threshold, null, null, null, alertKey,
                source.length() > SignalValidator.MAX_SOURCE ? source.substring(0, SignalValidator.MAX_SOURCE) : source,
                startsAt, data).identifiedByIdOnly();
        return new Alert(fingerprint, status, signal, null);
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Double number(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double parsed = Double.parseDouble(value.strip());
            return Double.isFinite(parsed) ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
