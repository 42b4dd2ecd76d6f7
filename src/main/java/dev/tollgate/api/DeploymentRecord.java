package dev.tollgate.api;

import dev.tollgate.release.DeploymentRequest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.events.EventTypes;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.StoredText;
import io.cloudevents.SpecVersion;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record of {@code tollgate.deployments} read as a deployment result (CloudEvents, binary mode, through the
 * CloudEvents SDK's Kafka binding), or
 * the reason it can never be one. Reading touches nothing: a record that fails here is dead-lettered
 * at once, because no retry can make it valid.
 */
record DeploymentRecord(String eventId, UUID candidateId, DeploymentRequest request, String rejection) {

    static final int MAX_EVENT_ID = CloudEventAttributes.MAX_EVENT_ID;

    boolean rejected() {
        return rejection != null;
    }

    static DeploymentRecord read(ConsumerRecord<String, byte[]> record) {
        String eventId = CloudEventAttributes.eventId(record);
        CloudEventAttributes event = CloudEventAttributes.of(record).orElse(null);
        if (event == null || event.version() != SpecVersion.V1 || event.get("id") == null || event.get("type") == null
                || event.get("subject") == null) {
            return refused(eventId, "missing or wrong CloudEvents headers (ce_specversion 1.0, ce_id, ce_type, ce_subject)");
        }
        String id = event.get("id");
        String type = event.get("type");
        String subject = event.get("subject");
        if (id.isEmpty() || id.length() > MAX_EVENT_ID) {
            return refused(eventId, "ce_id must be 1 to " + MAX_EVENT_ID + " characters; it has " + id.length());
        }
        if (StoredText.problem(id) != null) {
            return refused(eventId, "ce_id " + StoredText.problem(id));
        }
        if (!EventTypes.DEPLOYMENT_SUCCEEDED.equals(type) && !EventTypes.DEPLOYMENT_FAILED.equals(type)) {
            return refused(eventId, "unknown ce_type (expected " + EventTypes.DEPLOYMENT_SUCCEEDED + " or "
                    + EventTypes.DEPLOYMENT_FAILED + ")");
        }
        UUID candidateId;
        try {
            candidateId = UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            return refused(eventId, "ce_subject is not a candidate id (a UUID)");
        }
        JsonNode data;
        try {
            data = JsonBodies.tree(event.data() == null ? record.value() : event.data());
        } catch (ProblemException e) {
            return refused(eventId, "data: " + e.getMessage() + details(e));
        }
        if (!subject.equals(data.path("candidateId").asText())) {
            return refused(eventId, "data.candidateId must equal ce_subject");
        }
        DeploymentRequest request = new DeploymentRequest(text(data, "stage"),
                EventTypes.DEPLOYMENT_SUCCEEDED.equals(type) ? DeploymentRequest.SUCCEEDED : DeploymentRequest.FAILED,
                text(data, "environment"), text(data, "detail"));
        try {
            request.validate();
        } catch (ProblemException e) {
            return refused(eventId, "data: " + e.getMessage() + details(e));
        }
        return new DeploymentRecord(eventId, candidateId, request, null);
    }

    private static DeploymentRecord refused(String eventId, String why) {
        return new DeploymentRecord(eventId, null, null, why);
    }

    private static String details(ProblemException e) {
        return e.errors().size() <= 1 ? "" : " (" + e.errors().stream().map(f -> f.field() + ": " + f.message())
                .reduce((a, b) -> a + "; " + b).orElse("") + ")";
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
