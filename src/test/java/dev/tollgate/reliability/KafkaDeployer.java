package dev.tollgate.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.events.EventTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A deployer as a team would write one: it consumes {@code deploying} instructions from Kafka, carries
 * each out once (it is an idempotent consumer, by {@code ce_id}), and answers on
 * {@code tollgate.deployments}. It counts its effects: a transition that reached it under two different
 * ids would be carried out twice, which is the duplicate effect the suite must never see.
 */
final class KafkaDeployer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Predicate<String> ours;
    private final Thread worker;
    private volatile boolean running = true;
    /** ce_ids carried out, and the ids under which each (candidate, sequence) arrived. */
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> idsByTransition = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();

    KafkaDeployer(String bootstrap, Predicate<String> ours) {
        this.ours = ours;
        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", bootstrap);
        consumerProps.put("group.id", "reliability-deployer-" + System.nanoTime());
        consumerProps.put("enable.auto.commit", "false");
        consumerProps.put("auto.offset.reset", "earliest");
        consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", bootstrap);
        producerProps.put("acks", "all");
        producerProps.put("enable.idempotence", "true");
        producerProps.put("delivery.timeout.ms", "120000");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        consumer.subscribe(List.of(EventTypes.PROMOTIONS_TOPIC));
        worker = new Thread(this::run, "reliability-deployer");
        worker.setDaemon(true);
        worker.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
                try {
                    consumer.commitSync();
                } catch (RuntimeException brokerAway) {
                    // committed again after the next poll; a redelivery is dropped by ce_id
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            consumer.close();
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) throws Exception {
        if (!EventTypes.DEPLOYING.equals(EventLedger.header(record, "ce_type"))) {
            return;
        }
        JsonNode data = JSON.readTree(record.value());
        if (!ours.test(data.path("name").asText())) {
            return;
        }
        String eventId = EventLedger.header(record, "ce_id");
        String candidateId = data.path("candidateId").asText();
        deliveries.incrementAndGet();
        idsByTransition.computeIfAbsent(candidateId + "#" + EventLedger.header(record, "ce_sequence"),
                k -> ConcurrentHashMap.newKeySet()).add(eventId);
        if (done.contains(eventId)) {
            return;
        }
        String result = JSON.writeValueAsString(Map.of("candidateId", candidateId, "stage", data.path("stage").asText(),
                "environment", data.path("stage").asText() + "-reliability", "detail", "deployed"));
        ProducerRecord<String, byte[]> answer = new ProducerRecord<>(EventTypes.DEPLOYMENTS_TOPIC, record.key(),
                result.getBytes(StandardCharsets.UTF_8));
        header(answer, "ce_specversion", "1.0");
        // The answer's id follows from the instruction's: answering a redelivered instruction again is harmless.
        header(answer, "ce_id", "answer-" + eventId);
        header(answer, "ce_source", "/reliability/deployer");
        header(answer, "ce_type", EventTypes.DEPLOYMENT_SUCCEEDED);
        header(answer, "ce_subject", candidateId);
        header(answer, "ce_time", Instant.now().toString());
        while (running) {
            try {
                producer.send(answer).get();
                break;
            } catch (java.util.concurrent.ExecutionException brokerAway) {
                Thread.sleep(500);
            }
        }
        done.add(eventId);
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Transitions that reached the deployer under more than one id: each would have been deployed twice. */
    long duplicateEffects() {
        return idsByTransition.values().stream().filter(ids -> ids.size() > 1).count();
    }

    long deliveries() {
        return deliveries.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        worker.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }
}
