package dev.tollgate.api;

import dev.tollgate.workflow.InboundDeployments;
import dev.tollgate.events.EventTypes;
import dev.tollgate.shared.DatabaseFailures;
import dev.tollgate.shared.LogSafe;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes deployment results from {@code tollgate.deployments} (CloudEvents, binary mode). A result
 * is applied exactly once ({@link InboundDeployments}); a duplicate or a stale result is recorded and
 * skipped. Failures are told apart:
 * <ul>
 * <li>a record that can never be applied (headers, JSON, text, validation, unknown candidate) is kept in
 * {@code deployment_dead_letter}, audited, counted, and skipped at once;</li>
 * <li>a failure a retry can cure (the database unreachable, a lock timeout, a deadlock) pauses that record's
 * partition only, with back-off, and retries the same record: nothing is skipped, and the other partitions
 * go on;</li>
 * <li>any other failure is retried a few times, then dead-lettered with its message, so that no record
 * blocks its partition for ever.</li>
 * </ul>
 *
 * <p>Longer than 200 lines on purpose: the consumer loop, its per-partition pause and backoff, and the rules for what is retried and what is dead-lettered belong together (docs/operations.md, "Deployment results").
 */
@ApplicationScoped
public class DeploymentResultConsumer {

    static final int MAX_UNEXPECTED_FAILURES = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(DeploymentResultConsumer.class);

    private final InboundDeployments inbound;
    private final MeterRegistry metrics;
    private final String bootstrapServers;
    private final String groupId;
    private final Duration sessionTimeout;
    private final boolean enabled;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread worker;

    /** A partition waiting to retry its first unapplied record. */
    private record Paused(long offset, int failures, long resumeAtNanos, Duration backoff) {
    }

    private final Map<TopicPartition, Paused> paused = new HashMap<>();

    DeploymentResultConsumer(InboundDeployments inbound, MeterRegistry metrics,
                             @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                             @ConfigProperty(name = "tollgate.deployments.group-id", defaultValue = "tollgate") String groupId,
                             @ConfigProperty(name = "tollgate.deployments.session-timeout", defaultValue = "10s")
                             Duration sessionTimeout,
                             @ConfigProperty(name = "tollgate.deployments.consumer-enabled", defaultValue = "true") boolean enabled) {
        this.inbound = inbound;
        this.metrics = metrics;
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
        this.sessionTimeout = sessionTimeout;
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
        // A crashed instance's partitions move to the others once its session times out: results wait that long.
        props.put("session.timeout.ms", String.valueOf(sessionTimeout.toMillis()));
        props.put("heartbeat.interval.ms", String.valueOf(Math.max(1000, sessionTimeout.toMillis() / 3)));
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = kafka;
                kafka.subscribe(List.of(EventTypes.DEPLOYMENTS_TOPIC), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        partitions.forEach(paused::remove);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        // A partition comes back from its committed offset, unpaused.
                    }
                });
                while (running) {
                    resumeDue(kafka);
                    ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofMillis(500));
                    for (TopicPartition partition : records.partitions()) {
                        consume(kafka, partition, records.records(partition));
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (KafkaException | IllegalStateException e) {
                // The group or the broker went wrong: start a new consumer from the committed offsets.
                LOG.warnf("Deployment result consumer restarts after: %s", LogSafe.of(e.getMessage()));
                paused.clear();
                sleep(FIRST_BACKOFF);
            } finally {
                consumer = null;
            }
        }
    }

    /** Applies a partition's records in order; stops at the first one that must be retried. */
    private void consume(KafkaConsumer<String, byte[]> kafka, TopicPartition partition,
                         List<ConsumerRecord<String, byte[]>> records) {
        long next = -1;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!handle(kafka, partition, record)) {
                break;
            }
            next = record.offset() + 1;
        }
        if (next >= 0) {
            try {
                kafka.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
            } catch (KafkaException e) {
                // The partition moved to another consumer: its records come again there, and ce_id de-duplicates them.
                LOG.debugf("Could not commit %s@%d: %s", partition, next, e.getMessage());
            }
        }
    }

    /** Handles one record; false when it must be retried (the partition is then paused at it). */
    private boolean handle(KafkaConsumer<String, byte[]> kafka, TopicPartition partition,
                           ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        DeploymentRecord read = DeploymentRecord.read(record);
        try {
            InboundDeployments.Outcome outcome;
            if (read.rejected()) {
                outcome = deadLetter(record, read.eventId(), read.rejection(), where);
            } else {
                try {
                    outcome = inbound.apply(read.eventId(), record.topic(), read.candidateId(), read.request(),
                            "kafka:" + record.topic());
                } catch (InboundDeployments.Unusable e) {
                    outcome = deadLetter(record, read.eventId(), e.getMessage(), where);
                }
                if (outcome != InboundDeployments.Outcome.ACCEPTED) {
                    LOG.infof("Deployment result %s for %s was %s", LogSafe.of(read.eventId()), read.candidateId(), outcome);
                }
            }
            paused.remove(partition);
            metrics.counter("tollgate.deployments.received", "outcome", outcome.name().toLowerCase()).increment();
            return true;
        } catch (RuntimeException e) {
            return retryOrGiveUp(kafka, partition, record, read, e, where);
        }
    }

    private InboundDeployments.Outcome deadLetter(ConsumerRecord<String, byte[]> record, String eventId, String reason,
                                                  String where) {
        LOG.warnf("Dead-lettering deployment result %s (%s): %s", LogSafe.of(eventId), where, LogSafe.of(reason));
        inbound.deadLetter(record, eventId, reason);
        return InboundDeployments.Outcome.DEAD_LETTERED;
    }

    private boolean retryOrGiveUp(KafkaConsumer<String, byte[]> kafka, TopicPartition partition,
                                  ConsumerRecord<String, byte[]> record, DeploymentRecord read, RuntimeException e,
                                  String where) {
        Paused before = paused.get(partition);
        int failures = before != null && before.offset() == record.offset() ? before.failures() + 1 : 1;
        DatabaseFailures.Kind kind = DatabaseFailures.classify(e);
        if (kind == DatabaseFailures.Kind.OTHER && failures >= MAX_UNEXPECTED_FAILURES) {
            LOG.errorf(e, "Deployment result %s (%s) failed %d times; dead-lettering it", LogSafe.of(read.eventId()),
                    where, failures);
            try {
                deadLetter(record, read.eventId(), "failed " + failures + " times: " + LogSafe.of(String.valueOf(e.getMessage())),
                        where);
                paused.remove(partition);
                metrics.counter("tollgate.deployments.received", "outcome", "dead_lettered").increment();
                return true;
            } catch (RuntimeException deadLetterFailed) {
                kind = DatabaseFailures.classify(deadLetterFailed);
            }
        }
        Duration backoff = before == null || before.offset() != record.offset() ? FIRST_BACKOFF
                : before.backoff().multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : before.backoff().multipliedBy(2);
        LOG.warnf("Could not apply deployment result at %s (%s, %s); this partition retries in %d ms, the others go on",
                where, kind, LogSafe.of(String.valueOf(e.getMessage())), backoff.toMillis());
        kafka.seek(partition, record.offset());
        kafka.pause(Set.of(partition));
        paused.put(partition, new Paused(record.offset(), failures, System.nanoTime() + backoff.toNanos(), backoff));
        return false;
    }

    private void resumeDue(KafkaConsumer<String, byte[]> kafka) {
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, Paused> entry : paused.entrySet()) {
            if (entry.getValue().resumeAtNanos() - now <= 0 && kafka.paused().contains(entry.getKey())) {
                kafka.resume(Set.of(entry.getKey()));
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
