package dev.tollgate.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.events.EventTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes deployment results from {@code tollgate.deployments} (CloudEvents, binary mode). A result
 * is applied exactly once ({@link InboundDeployments}); a duplicate, a stale result or one for an
 * unknown candidate is recorded and skipped; a poison record (missing headers, bad JSON, a subject
 * that does not match its data) is logged, recorded, counted and skipped, so it never blocks the
 * partition. Only a failure of Tollgate itself (the database down) stops the partition, which is
 * retried from the same record with back-off.
 */
@ApplicationScoped
public class DeploymentResultConsumer {

    static final String SUCCEEDED = "dev.tollgate.deployment.succeeded";
    static final String FAILED = "dev.tollgate.deployment.failed";

    private static final Logger LOG = Logger.getLogger(DeploymentResultConsumer.class);

    private final InboundDeployments inbound;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final String bootstrapServers;
    private final String groupId;
    private final boolean enabled;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread worker;

    DeploymentResultConsumer(InboundDeployments inbound, ObjectMapper json, MeterRegistry metrics,
                             @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                             @ConfigProperty(name = "tollgate.deployments.group-id", defaultValue = "tollgate") String groupId,
                             @ConfigProperty(name = "tollgate.deployments.consumer-enabled", defaultValue = "true") boolean enabled) {
        this.inbound = inbound;
        this.json = json;
        this.metrics = metrics;
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent startup) {
        if (!enabled) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "deployment-consumer");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (worker != null) {
            worker.join(10_000);
        }
    }

    private void run() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupId);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("max.poll.records", "100");
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            kafka.subscribe(List.of(EventTypes.DEPLOYMENTS_TOPIC));
            Duration backoff = Duration.ofMillis(500);
            while (running) {
                ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    try {
                        handle(record);
                        backoff = Duration.ofMillis(500);
                    } catch (RuntimeException e) {
                        // Tollgate could not apply it (not the record's fault): retry from this record.
                        LOG.warnf("Could not apply deployment result at %s-%d@%d (%s); retrying in %d ms",
                                record.topic(), record.partition(), record.offset(), e.getMessage(), backoff.toMillis());
                        kafka.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
                        Thread.sleep(backoff.toMillis());
                        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                                ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
                        break;
                    }
                    kafka.commitSync(java.util.Map.of(new TopicPartition(record.topic(), record.partition()),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("Deployment result consumer stopped", e);
        } finally {
            consumer = null;
        }
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        String eventId = header(record, "ce_id");
        if (eventId == null) {
            eventId = "no-ce-id:" + where;
        }
        String problem = null;
        String type = header(record, "ce_type");
        String subject = header(record, "ce_subject");
        UUID candidateId = null;
        DeploymentRequest request = null;
        if (!"1.0".equals(header(record, "ce_specversion")) || header(record, "ce_id") == null || type == null
                || subject == null) {
            problem = "missing or wrong CloudEvents headers (ce_specversion 1.0, ce_id, ce_type, ce_subject)";
        } else if (!SUCCEEDED.equals(type) && !FAILED.equals(type)) {
            problem = "unknown ce_type " + type;
        } else {
            try {
                JsonNode data = json.readTree(record.value());
                candidateId = UUID.fromString(subject);
                if (data == null || !data.isObject() || !subject.equals(data.path("candidateId").asText())) {
                    problem = "data must be an object whose candidateId equals ce_subject";
                } else {
                    String stage = data.path("stage").asText(null);
                    if (!Releases.STAGING.equals(stage) && !Releases.PRODUCTION.equals(stage)) {
                        problem = "data.stage must be staging or production";
                    } else if (text(data, "environment") != null && text(data, "environment").length() > 255
                            || text(data, "detail") != null && text(data, "detail").length() > 4000) {
                        problem = "data.environment (255) or data.detail (4000 characters) is too long";
                    }
                    request = new DeploymentRequest(stage, SUCCEEDED.equals(type) ? "SUCCEEDED" : "FAILED",
                            text(data, "environment"), text(data, "detail"));
                }
            } catch (java.io.IOException | IllegalArgumentException | NullPointerException e) {
                problem = "unreadable data or subject: " + e.getMessage();
            }
        }
        InboundDeployments.Outcome outcome;
        if (problem != null) {
            LOG.warnf("Skipping poison deployment result %s (%s): %s", eventId, where, problem);
            inbound.poison(eventId, record.topic(), problem);
            outcome = InboundDeployments.Outcome.POISON;
        } else {
            outcome = inbound.apply(eventId, record.topic(), candidateId, request, "kafka:" + record.topic());
            if (outcome != InboundDeployments.Outcome.ACCEPTED) {
                LOG.infof("Deployment result %s for %s was %s", eventId, candidateId, outcome);
            }
        }
        metrics.counter("tollgate.deployments.received", "outcome", outcome.name().toLowerCase()).increment();
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
