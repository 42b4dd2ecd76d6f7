package dev.tollgate.events;

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

    private final Event<OutboxWritten> written;
    private final ObjectMapper json;

    Outbox(Event<OutboxWritten> written, ObjectMapper json) {
        this.written = written;
        this.json = json;
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
        try {
            event.payload = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event data of " + type + " is not serializable", e);
        }
        persist(event);
        written.fire(new OutboxWritten());
        return event;
    }

    /** Fired for each appended event; the relay observes it after commit to publish without waiting for its poll. */
    public record OutboxWritten() {
    }
}
