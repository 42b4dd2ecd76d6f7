package dev.tollgate.reliability;

import dev.tollgate.events.EventTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything that reaches {@code tollgate.promotions}, per candidate, in the order a consumer sees it. */
final class EventLedger implements AutoCloseable {

    /** One record as received. */
    record Received(String eventId, int sequence, String type) {
    }

    private final Map<String, List<Received>> byCandidate = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    EventLedger(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(EventTypes.PROMOTIONS_TOPIC, Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(this::read, "reliability-ledger");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String subject = header(record, "ce_subject");
                    String sequence = header(record, "ce_sequence");
                    if (subject == null || sequence == null) {
                        continue;
                    }
                    byCandidate.computeIfAbsent(subject, s -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(new Received(header(record, "ce_id"), Integer.parseInt(sequence), header(record, "ce_type")));
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            consumer.close();
        }
    }

    List<Received> of(String candidateId) {
        List<Received> received = byCandidate.get(candidateId);
        if (received == null) {
            return List.of();
        }
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(5_000);
    }
}
