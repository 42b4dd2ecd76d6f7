package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.events.EventTypes;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.StoredText;
import dev.tollgate.watch.SignalValidator;
import dev.tollgate.watch.ValidSignal;
import io.cloudevents.SpecVersion;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record of {@code tollgate.signals} read as a signal (CloudEvents, binary mode): {@code ce_type}
 * {@code dev.tollgate.signal.drift} or {@code .provider}, {@code ce_id} the signal id, the data the same JSON as the
 * body of {@code POST /api/v1/signals} (its {@code signalId} and {@code type} may be left out). Or the reason it can
 * never be one: reading touches nothing, and such a record is dead-lettered at once.
 */
record SignalRecord(String eventId, ValidSignal signal, String rejection) {

    boolean rejected() {
        return rejection != null;
    }

    static SignalRecord read(ConsumerRecord<String, byte[]> record) {
        String eventId = CloudEventAttributes.eventId(record);
        CloudEventAttributes event = CloudEventAttributes.of(record).orElse(null);
        if (event == null || event.version() != SpecVersion.V1 || event.get("id") == null || event.get("type") == null) {
            return refused(eventId, "missing or wrong CloudEvents headers (ce_specversion 1.0, ce_id, ce_type)");
        }
        String id = event.get("id");
        if (id.isEmpty() || id.length() > CloudEventAttributes.MAX_EVENT_ID || StoredText.problem(id) != null) {
            return refused(eventId, "ce_id must be 1 to " + CloudEventAttributes.MAX_EVENT_ID + " characters of text");
        }
        String type = switch (event.get("type")) {
            case EventTypes.SIGNAL_DRIFT -> "drift";
            case EventTypes.SIGNAL_PROVIDER -> "provider";
            default -> null;
        };
        if (type == null) {
            return refused(eventId, "unknown ce_type (expected " + EventTypes.SIGNAL_DRIFT + " or "
                    + EventTypes.SIGNAL_PROVIDER + ")");
        }
        try {
            JsonNode data = JsonBodies.tree(event.data() == null ? record.value() : event.data());
            ObjectNode signal = ((ObjectNode) data).deepCopy();
            if (!matches(signal, "signalId", id) || !matches(signal, "type", type)) {
                return refused(eventId, "data.signalId and data.type, when present, must agree with ce_id and ce_type");
            }
            signal.put("signalId", id);
            signal.put("type", type);
            return new SignalRecord(eventId, SignalValidator.validate(signal), null);
        } catch (ProblemException e) {
            return refused(eventId, "data: " + e.getMessage() + (e.errors().isEmpty() ? "" : " (" + e.errors().stream()
                    .map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; ")) + ")"));
        }
    }

    private static boolean matches(ObjectNode data, String field, String expected) {
        JsonNode given = data.get(field);
        return given == null || given.isNull() || expected.equalsIgnoreCase(given.asText());
    }

    private static SignalRecord refused(String eventId, String why) {
        return new SignalRecord(eventId, null, why);
    }
}
