package dev.tollgate.api;

import dev.tollgate.release.DeploymentRequest;
import dev.tollgate.release.DeploymentService;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.events.EventTypes;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.Sha256;
import dev.tollgate.shared.StoredText;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record of {@code tollgate.deployments} read as a deployment result (CloudEvents, binary mode), or
 * the reason it can never be one. Reading touches nothing: a record that fails here is dead-lettered
 * at once, because no retry can make it valid.
 */
record DeploymentRecord(String eventId, UUID candidateId, DeploymentRequest request, String rejection) {

    /** The longest {@code ce_id} kept as it is; a longer one is refused and recorded by its SHA-256. */
    static final int MAX_EVENT_ID = 255;

    boolean rejected() {
        return rejection != null;
    }

    static DeploymentRecord read(ConsumerRecord<String, byte[]> record) {
        String id = header(record, "ce_id");
        String eventId = id == null || id.length() > MAX_EVENT_ID || StoredText.problem(id) != null
                ? (id == null ? null : "sha256:" + Sha256.hex(id)) : id;
        String type = header(record, "ce_type");
        String subject = header(record, "ce_subject");
        if (!"1.0".equals(header(record, "ce_specversion")) || id == null || type == null || subject == null) {
            return refused(eventId, "missing or wrong CloudEvents headers (ce_specversion 1.0, ce_id, ce_type, ce_subject)");
        }
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
            data = JsonBodies.tree(record.value());
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

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
