package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** An outbox row becomes a CloudEvents 1.0 binary-mode record with the headers docs/asyncapi.yaml names. */
class CloudEventRecordsTest {

    private static OutboxEvent row() {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.fromString("6450130f-119c-49aa-b16e-09078cd0a8ef");
        event.topic = EventTypes.PROMOTIONS_TOPIC;
        event.recordKey = "MODEL/fraud-scorer";
        event.eventType = EventTypes.SUBMITTED;
        event.subject = "9d35f364-2e64-4c91-b980-1b0686848996";
        event.sequence = 5;
        event.occurredAt = Instant.parse("2026-11-30T00:31:26.442634Z");
        event.payload = "{\"candidateId\":\"9d35f364-2e64-4c91-b980-1b0686848996\"}";
        return event;
    }

    @Test
    void theAttributesBecomeCeHeadersAndTheDataTheValue() {
        ProducerRecord<String, byte[]> record = CloudEventRecords.toRecord(row());
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        assertThat(record.topic()).isEqualTo("tollgate.promotions");
        assertThat(record.key()).isEqualTo("MODEL/fraud-scorer");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(row().payload);
        assertThat(headers).containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_id", "6450130f-119c-49aa-b16e-09078cd0a8ef")
                .containsEntry("ce_source", "/tollgate")
                .containsEntry("ce_type", "dev.tollgate.promotion.submitted")
                .containsEntry("ce_subject", "9d35f364-2e64-4c91-b980-1b0686848996")
                .containsEntry("ce_time", "2026-11-30T00:31:26.442634Z")
                .containsEntry("ce_sequence", "5")
                .containsEntry("content-type", "application/json");
    }

    @Test
    void anSdkConsumerReadsTheRecordBack() {
        ProducerRecord<String, byte[]> sent = CloudEventRecords.toRecord(row());
        ConsumerRecord<String, byte[]> received = new ConsumerRecord<>(sent.topic(), 0, 0, sent.key(), sent.value());
        sent.headers().forEach(h -> received.headers().add(h));
        CloudEvent event = KafkaMessageFactory.createReader(received).toEvent();
        assertThat(event.getId()).isEqualTo("6450130f-119c-49aa-b16e-09078cd0a8ef");
        assertThat(event.getType()).isEqualTo(EventTypes.SUBMITTED);
        assertThat(event.getExtension(CloudEventRecords.SEQUENCE)).isEqualTo("5");
        assertThat(event.getTime().toInstant()).isEqualTo(Instant.parse("2026-11-30T00:31:26.442634Z"));
    }
}
