package dev.tollgate.workflow;

import dev.tollgate.audit.AuditActions;
import dev.tollgate.release.DeploymentRequest;
import dev.tollgate.release.DeploymentService;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.shared.LogSafe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Applies one deployment result that arrived on Kafka, exactly once: the event's id is stored in
 * the same transaction as its effect, so a redelivered event finds its id and changes nothing. A record
 * that can never be applied is kept whole in {@code deployment_dead_letter} instead, and audited.
 */
@ApplicationScoped
@Transactional
public class InboundDeployments {

    /** What became of an inbound event. */
    public enum Outcome { ACCEPTED, STALE, DUPLICATE, DEAD_LETTERED }

    /** The record can never be applied (an unknown candidate, a result that fails validation). */
    public static final class Unusable extends RuntimeException {
        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    private final EntityManager em;
    private final CandidateRepository candidates;
    private final Reports reports;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration lockTimeout;

    InboundDeployments(EntityManager em, CandidateRepository candidates, Reports reports, AuditLog audit,
                       Clock clock,
                       @ConfigProperty(name = "tollgate.deployments.lock-timeout", defaultValue = "5s") Duration lockTimeout) {
        this.em = em;
        this.candidates = candidates;
        this.reports = reports;
        this.audit = audit;
        this.clock = clock;
        this.lockTimeout = lockTimeout;
    }

    /**
     * Applies a result; throws {@link Unusable} (nothing written) when it can never be applied. A
     * background consumer must not wait forever behind a busy row: after {@code lock-timeout} the
     * transaction fails, and the consumer retries the record later.
     */
    public Outcome apply(String eventId, String topic, UUID candidateId, DeploymentRequest request, String source) {
        em.createNativeQuery("select set_config('lock_timeout', :timeout, true)")
                .setParameter("timeout", lockTimeout.toMillis() + "ms")
                .setFlushMode(jakarta.persistence.FlushModeType.COMMIT) // reads no table: nothing to flush first
                .getSingleResult();
        if (!remember(eventId, topic)) {
            return Outcome.DUPLICATE;
        }
        if (candidates.findByIdOptional(candidateId).isEmpty()) {
            throw new Unusable("no candidate " + candidateId);
        }
        DeploymentService.Outcome outcome = reports.deployment(candidateId, request, source);
        Outcome result = outcome.accepted() ? Outcome.ACCEPTED : Outcome.STALE;
        em.createNativeQuery("update processed_event set outcome = :outcome, detail = :detail where event_id = :id")
                .setParameter("outcome", result.name()).setParameter("detail", outcome.reason()).setParameter("id", eventId)
                .executeUpdate();
        return result;
    }

    /**
     * Keeps a record that can never be applied, exactly as it arrived (key, headers and value, byte for
     * byte), with the reason, and audits it; a redelivery of the same record changes nothing.
     */
    public void deadLetter(ConsumerRecord<String, byte[]> record, String eventId, String reason) {
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
            audit.append("kafka:" + record.topic(), AuditActions.DEPLOYMENT_REJECTED, AuditLog.Subject.NONE, data);
        }
    }

    private boolean remember(String eventId, String topic) {
        return em.createNativeQuery("""
                        insert into processed_event (event_id, topic, outcome, received_at)
                        values (:id, :topic, 'RECEIVED', :now) on conflict (event_id) do nothing""")
                .setParameter("id", eventId).setParameter("topic", topic).setParameter("now", clock.instant())
                .executeUpdate() == 1;
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
