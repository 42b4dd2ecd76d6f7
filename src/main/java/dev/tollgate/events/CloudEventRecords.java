package dev.tollgate.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Maps an outbox row to a Kafka record in CloudEvents 1.0 binary mode (contract.md, "Events"), with the
 * CloudEvents SDK's Kafka binding: the attributes become {@code ce_*} headers, the data the record value.
 */
final class CloudEventRecords {

    /** The extension that numbers a candidate's events 1, 2, 3, … ({@code ce_sequence}). */
    static final String SEQUENCE = "sequence";
    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private CloudEventRecords() {
    }

    static CloudEvent toEvent(OutboxEvent event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.eventId.toString())
                .withSource(URI.create(EventTypes.SOURCE))
                .withType(event.eventType)
                .withSubject(event.subject)
                .withTime(event.occurredAt.atOffset(ZoneOffset.UTC))
                .withExtension(SEQUENCE, Integer.toString(event.sequence))
                .withData("application/json", event.payload.getBytes(StandardCharsets.UTF_8));
        // The CloudEvents distributed-tracing extension: ce_traceparent and ce_tracestate on Kafka.
        if (event.traceparent != null) {
            builder.withExtension(TRACEPARENT, event.traceparent);
        }
        if (event.tracestate != null) {
            builder.withExtension(TRACESTATE, event.tracestate);
        }
        return builder.build();
    }

    static ProducerRecord<String, byte[]> toRecord(OutboxEvent event) {
        return KafkaMessageFactory.createWriter(event.topic, event.recordKey).writeBinary(toEvent(event));
    }
}
