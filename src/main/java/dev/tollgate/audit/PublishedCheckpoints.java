package dev.tollgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.events.EventTypes;
import dev.tollgate.events.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the checkpoints Tollgate published on {@code tollgate.audit}, outside the database: the one that
 * attests the longest chain is what verification holds the stored log against. Someone who can rewrite
 * the database but not the topic can then neither cut the tail nor rewrite the entries it covers. Looking for the
 * topic never creates it ({@link KafkaClients#consumer}): a topic made by the broker's defaults would keep its
 * checkpoints only as long as the broker keeps anything.
 */
@ApplicationScoped
public class PublishedCheckpoints {

    private static final Logger LOG = Logger.getLogger(PublishedCheckpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL = 10;

    /** What was found: the checkpoint, or none published yet, or the topic could not be read. */
    public record Latest(AuditVerifier.Checkpoint checkpoint, boolean reachable) {
    }

    private final KafkaClients kafka;
    private final Duration timeout;
    /** Readers may overlap (a verification, an export, the checkpoint writer): each gets a client id of its own. */
    private final AtomicInteger readers = new AtomicInteger();

    PublishedCheckpoints(KafkaClients kafka,
                         @ConfigProperty(name = "tollgate.audit.checkpoint-read-timeout", defaultValue = "5s")
                         Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** The published checkpoint with the highest sequence number, from the last records of each partition. */
    public Latest latest() {
        Map<String, Object> settings = kafka.consumer("audit-checkpoints-" + readers.incrementAndGet(), null, Map.of(
                "request.timeout.ms", String.valueOf(timeout.toMillis()),
                "default.api.timeout.ms", String.valueOf(timeout.toMillis())));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(EventTypes.AUDIT_TOPIC, timeout);
            if (infos == null || infos.isEmpty()) {
                return new Latest(null, true);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> wanted = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long end = ends.getOrDefault(partition, 0L);
                if (end > 0) {
                    // The last few records, in case a redelivered older checkpoint landed after the newest.
                    consumer.seek(partition, Math.max(0, end - TAIL));
                    wanted.put(partition, end - 1);
                } else {
                    consumer.pause(List.of(partition));
                }
            }
            AuditVerifier.Checkpoint best = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!wanted.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    AuditVerifier.Checkpoint checkpoint = parse(record.value());
                    if (checkpoint != null && (best == null || checkpoint.seq() > best.seq())) {
                        best = checkpoint;
                    }
                    if (record.offset() >= wanted.getOrDefault(partition, Long.MAX_VALUE)) {
                        wanted.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
            }
            if (!wanted.isEmpty()) {
                return new Latest(best, false);
            }
            return new Latest(best, true);
        } catch (KafkaException | IllegalStateException e) {
            LOG.warnf("Could not read the published audit checkpoints: %s", e.getMessage());
            return new Latest(null, false);
        }
    }

    private static AuditVerifier.Checkpoint parse(byte[] value) {
        try {
            JsonNode data = JSON.readTree(value);
            if (data == null || !data.path("checkpointSeq").canConvertToLong() || !data.path("checkpointHash").isTextual()) {
                return null;
            }
            return new AuditVerifier.Checkpoint(data.get("checkpointSeq").asLong(), data.get("checkpointHash").asText());
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
