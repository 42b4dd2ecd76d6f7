package dev.tollgate.api;

import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventWriter;
import dev.tollgate.shared.Sha256;
import dev.tollgate.shared.StoredText;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The attributes and data of a binary-mode CloudEvent as the SDK's Kafka binding reads them, before any check:
 * each inbound topic refuses what it cannot use with its own reasons (and a producer's missing {@code ce_source} or
 * odd {@code ce_time} is not one of them).
 */
final class CloudEventAttributes implements CloudEventWriter<CloudEventAttributes> {

    private final SpecVersion version;
    private final Map<String, String> values = new HashMap<>();
    private byte[] data;

    CloudEventAttributes(SpecVersion version) {
        this.version = version;
    }

    /** The longest {@code ce_id} kept as it is; a longer one is refused and recorded by its SHA-256. */
    static final int MAX_EVENT_ID = 255;

    /**
     * The record's {@code ce_id} as it can be stored and logged: as it is, or {@code sha256:<hex>} of one that is too
     * long or not text; null when there is none.
     */
    static String eventId(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("ce_id");
        if (header == null || header.value() == null) {
            return null;
        }
        String raw = new String(header.value(), StandardCharsets.UTF_8);
        return raw.length() > MAX_EVENT_ID || StoredText.problem(raw) != null ? "sha256:" + Sha256.hex(raw) : raw;
    }

    /** The record read as a CloudEvent, or empty when it is not one at all. */
    static Optional<CloudEventAttributes> of(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.ofNullable(KafkaMessageFactory.createReader(record).read(CloudEventAttributes::new));
        } catch (RuntimeException notCloudEvent) {
            return Optional.empty();
        }
    }

    SpecVersion version() {
        return version;
    }

    String get(String name) {
        return values.get(name);
    }

    /** The data, or null when the event has none. */
    byte[] data() {
        return data;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, String value) {
        values.put(name, value);
        return this;
    }

    @Override
    public CloudEventAttributes end(CloudEventData data) {
        this.data = data == null ? null : data.toBytes();
        return this;
    }

    @Override
    public CloudEventAttributes end() {
        return this;
    }
}
