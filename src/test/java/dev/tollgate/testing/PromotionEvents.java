package dev.tollgate.testing;

import dev.tollgate.events.EventTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads {@code tollgate.promotions} back from the real broker with a plain Kafka consumer, as a
 * deployer would, so that tests check what actually reached Kafka.
 */
public final class PromotionEvents {

    /** One record as a consumer sees it. */
    public record Received(String key, Map<String, String> headers, String data, int partition, long offset) {

        public String type() {
            return headers.get("ce_type");
        }

        public int sequence() {
            return Integer.parseInt(headers.get("ce_sequence"));
        }
    }

    private PromotionEvents() {
    }

    /** Waits until the events for {@code candidateId} satisfy {@code done}, and returns them in log order. */
    public static List<Received> awaitFor(String candidateId, Predicate<List<Received>> done, Duration timeout) {
        return awaitFor(bootstrapServers(), candidateId, done, timeout);
    }

    public static List<Received> awaitFor(String bootstrapServers, String candidateId, Predicate<List<Received>> done,
                                          Duration timeout) {
        return awaitOn(bootstrapServers, EventTypes.PROMOTIONS_TOPIC, candidateId, done, timeout);
    }

    /** Waits until the events on {@code topic} whose ce_subject is {@code subject} satisfy {@code done}. */
    public static List<Received> awaitOn(String topic, String subject, Predicate<List<Received>> done, Duration timeout) {
        return awaitOn(bootstrapServers(), topic, subject, done, timeout);
    }

    private static List<Received> awaitOn(String bootstrapServers, String topic, String subject,
                                          Predicate<List<Received>> done, Duration timeout) {
        String candidateId = subject;
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("enable.auto.commit", "false");
        props.put("isolation.level", "read_committed");
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> matching = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                consumer.partitionsFor(topic, Duration.ofSeconds(5))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Received received = toReceived(record);
                    if (candidateId.equals(received.headers().get("ce_subject"))) {
                        matching.add(received);
                    }
                }
                if (done.test(matching)) {
                    return matching;
                }
            }
        }
        throw new AssertionError("Timed out waiting for the events of " + candidateId + "; received "
                + matching.stream().map(Received::type).toList());
    }

    public static Predicate<List<Received>> containsType(String type) {
        return events -> events.stream().anyMatch(e -> e.type().equals(type));
    }

    private static Received toReceived(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return new Received(record.key(), headers, new String(record.value(), StandardCharsets.UTF_8),
                record.partition(), record.offset());
    }

    private static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
