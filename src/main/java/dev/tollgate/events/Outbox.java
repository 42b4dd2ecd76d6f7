package dev.tollgate.events;

import dev.tollgate.shared.AdvisoryLocks;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes events to the outbox. It must be called inside the transaction of the change the event
 * announces ({@code MANDATORY}): then the event exists if and only if the change committed.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Outbox implements PanacheRepositoryBase<OutboxEvent, Long> {

    private final ObjectMapper json;
    private final OutboxNotifier notifier;
    private final TraceContext trace;
    private final Event<Written> written;

    /**
     * Fired, synchronously and inside the writing transaction, for every event the outbox takes: whatever else must
     * go out with the event (webhooks) is written in the same transaction, so it goes out if and only if it commits.
     */
    public record Written(OutboxEvent event) {
    }

    Outbox(ObjectMapper json, OutboxNotifier notifier, TraceContext trace, Event<Written> written) {
        this.json = json;
        this.notifier = notifier;
        this.trace = trace;
        this.written = written;
    }

    public OutboxEvent append(String topic, String key, String type, String subject, int sequence,
                              Instant occurredAt, Map<String, Object> payload) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID();
        event.topic = topic;
        event.recordKey = key;
        event.eventType = type;
        event.subject = subject;
        event.sequence = sequence;
        event.occurredAt = occurredAt;
        TraceContext.Carried context = trace.current();
        event.traceparent = context.traceparent();
        event.tracestate = context.tracestate();
        try {
            event.payload = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event data of " + type + " is not serializable", e);
        }
        // Per key, ids are taken in commit order: a transaction that writes an event for a key holds
        // that key's lock until it ends, so a later transaction's event for the same key gets a higher id.
        AdvisoryLocks.hold(getEntityManager(), AdvisoryLocks.OUTBOX, "outbox:" + key);
        persist(event);
        written.fire(new Written(event));
        // The relay is woken after the commit, never from inside it (OutboxNotifier says why).
        notifier.afterCommit();
        return event;
    }
}
