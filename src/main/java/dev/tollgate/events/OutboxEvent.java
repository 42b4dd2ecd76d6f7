package dev.tollgate.events;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A CloudEvent waiting in the outbox, written in the same transaction as the change it announces. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id")
    public UUID eventId;

    public String topic;

    @Column(name = "record_key")
    public String recordKey;

    @Column(name = "event_type")
    public String eventType;

    public String subject;

    public int sequence;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    /** The event data as the exact JSON text that is published. */
    public String payload;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** The W3C trace context of the change, for the CloudEvent's distributed-tracing extension; null without one. */
    public String traceparent;

    public String tracestate;
}
