package dev.tollgate.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON {@code data} of a promotion event: the fields every promotion event carries, then the fields
 * of its type's record. The one mapping from {@link PromotionEvent} to what Kafka consumers and the audit
 * trail see.
 */
public final class PromotionPayload {

    /** The candidate an event is about, as every promotion event names it. */
    public record Subject(String candidateId, String kind, String name, String version, String digest,
                          String artifactUri, String pipeline, String policyDigest) {
    }

    private static final ObjectMapper RECORDS = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private PromotionPayload() {
    }

    public static Map<String, Object> of(Subject subject, String fromStage, String toStage, String actor, String reason,
                                         Instant occurredAt, PromotionEvent event) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("candidateId", subject.candidateId());
        payload.put("kind", subject.kind());
        payload.put("name", subject.name());
        payload.put("version", subject.version());
        payload.put("digest", subject.digest());
        payload.put("artifactUri", subject.artifactUri());
        payload.put("pipeline", subject.pipeline());
        payload.put("policyDigest", subject.policyDigest());
        payload.put("fromStage", fromStage);
        payload.put("toStage", toStage);
        payload.put("actor", actor);
        payload.put("reason", reason);
        payload.put("occurredAt", occurredAt.toString());
        RECORDS.convertValue(event, MAP).forEach(payload::putIfAbsent);
        return payload;
    }
}
