package dev.tollgate.events;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Maps an outbox row to a Kafka record in CloudEvents 1.0 binary mode (contract.md, "Events"). */
final class CloudEventRecords {

    static final String SPEC_VERSION = "1.0";

    private CloudEventRecords() {
    }

    static ProducerRecord<String, byte[]> toRecord(OutboxEvent event) {
        byte[] data = event.payload.getBytes(StandardCharsets.UTF_8);
        var record = new ProducerRecord<String, byte[]>(event.topic, event.recordKey, data);
        header(record, "ce_specversion", SPEC_VERSION);
        header(record, "ce_id", event.eventId.toString());
        header(record, "ce_source", EventTypes.SOURCE);
        header(record, "ce_type", event.eventType);
        header(record, "ce_subject", event.subject);
        header(record, "ce_time", DateTimeFormatter.ISO_INSTANT.format(event.occurredAt));
        header(record, "ce_sequence", Integer.toString(event.sequence));
        header(record, "content-type", "application/json");
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
