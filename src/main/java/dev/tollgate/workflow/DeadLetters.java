package dev.tollgate.workflow;

import dev.tollgate.audit.AuditLog;
import dev.tollgate.shared.LogSafe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Inbound Kafka records that can never be applied (a deployment result, a signal), kept exactly as they arrived in
 * {@code deployment_dead_letter} (named for the first topic that had them; the {@code topic} column tells them
 * apart) and audited. One row per record, so a redelivery changes nothing.
 */
@ApplicationScoped
@Transactional
public class DeadLetters {

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;

    DeadLetters(EntityManager em, AuditLog audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Keeps the record (key, headers and value, byte for byte) with the reason, and audits it as {@code action};
     * a redelivery of the same record changes nothing.
     */
    public void keep(ConsumerRecord<String, byte[]> record, String eventId, String reason, String action) {
        int inserted = em.createNativeQuery("""
                        insert into deployment_dead_letter
                            (topic, partition_no, record_offset, record_key, headers, record_value, event_id, reason, received_at)
                        values (:topic, :partition, :offset, :key, cast(:headers as jsonb), :value, :eventId, :reason, :now)
                        on conflict (topic, partition_no, record_offset) do nothing""")
                .setParameter("topic", record.topic())
                .setParameter("partition", record.partition())
                .setParameter("offset", record.offset())
                .setParameter("key", record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8))
                .setParameter("headers", headersJson(record))
                .setParameter("value", record.value())
                .setParameter("eventId", eventId)
                .setParameter("reason", reason)
                .setParameter("now", clock.instant())
                .executeUpdate();
        if (inserted == 1) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("eventId", eventId == null ? null : LogSafe.of(eventId));
            data.put("reason", reason);
            data.put("record", record.topic() + "-" + record.partition() + "@" + record.offset());
            audit.append("kafka:" + record.topic(), action, AuditLog.Subject.NONE, data);
        }
    }

    /** The headers as JSON that any text can go into: names and values in base64, in their order. */
    private static String headersJson(ConsumerRecord<String, byte[]> record) {
        List<String> items = new ArrayList<>();
        Base64.Encoder base64 = Base64.getEncoder();
        for (Header header : record.headers()) {
            items.add("{\"name\":\"" + base64.encodeToString(header.key().getBytes(StandardCharsets.UTF_8))
                    + "\",\"value\":" + (header.value() == null ? "null" : "\"" + base64.encodeToString(header.value()) + "\"")
                    + "}");
        }
        return "[" + String.join(",", items) + "]";
    }
}
