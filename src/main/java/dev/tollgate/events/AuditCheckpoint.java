package dev.tollgate.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code data} of {@link EventTypes#AUDIT_CHECKPOINT} on {@link EventTypes#AUDIT_TOPIC} (docs/asyncapi.yaml). */
public record AuditCheckpoint(long checkpointSeq, String checkpointHash, Instant occurredAt) {

    /** The JSON data, in the document's field order. */
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("checkpointSeq", checkpointSeq);
        data.put("checkpointHash", checkpointHash);
        data.put("occurredAt", occurredAt.toString());
        return data;
    }
}
