package dev.tollgate.api;

import dev.tollgate.events.KafkaClients;
import dev.tollgate.events.TraceContext;
import dev.tollgate.shared.DatabaseFailures;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import dev.tollgate.shared.LogSafe;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.jboss.logging.Logger;

/**
 * Consumes one inbound topic ({@code tollgate.deployments}, {@code tollgate.signals}), record by record, in order per
 * partition, committing each partition's offset after the records it applied. Failures are told apart:
 * <ul>
 * <li>a record that can never be applied is the topic's {@link Records} business: it keeps it (dead letters) and
 * returns;</li>
 * <li>a failure a retry can cure (the database unreachable, a lock timeout, a deadlock) pauses that record's
 * partition only, with back-off, and retries the same record: nothing is skipped, and the other partitions
 * go on;</li>
 * <li>any other failure is retried a few times, then handed to {@link Records#giveUp}, so that no record blocks its
 * partition for ever.</li>
 * </ul>
 * A missing topic is waited for, quietly: it is never created by subscribing ({@link KafkaClients#consumer}), and
 * a subscription to a missing topic would log a warning every second.
 *
 * <p>Longer than 200 lines on purpose: the consumer loop, its per-partition pause and backoff, and the rules for what is
 * retried and what is given up belong together (docs/operations.md, "Deployment results").
 */
final class InboundConsumer {

    static final int MAX_UNEXPECTED_FAILURES = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration TOPIC_LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TOPIC_MISSING_WARNING = Duration.ofSeconds(30);

    /** What the consumer of a topic does with its records. */
    interface Records {

        /**
         * Applies one record, or keeps it as a dead letter when it can never be applied; returns what became of it
         * (the received-records counter's {@code outcome}); throws to be retried.
         */
        String handle(ConsumerRecord<String, byte[]> record);

        /** Keeps a record that failed too often with unexpected errors, with the reason. */
        void giveUp(ConsumerRecord<String, byte[]> record, String reason);

        /** The record's event id (ce_id) for the log, as far as it can be read. */
        String idOf(ConsumerRecord<String, byte[]> record);
    }

    private final Logger log;
    private final Records records;
    private final TraceContext trace;
    private final String topic;
    private final String counter;
    private final MeterRegistry metrics;
    private final Map<String, Object> properties;
    private final boolean enabled;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread worker;

    /** A partition waiting to retry its first unapplied record. */
    private record Paused(long offset, int failures, long resumeAtNanos, Duration backoff) {
    }

    private final Map<TopicPartition, Paused> paused = new HashMap<>();

    InboundConsumer(Logger log, Records records, TraceContext trace, String topic, String counter, MeterRegistry metrics,
                     KafkaClients kafka, String groupId, Duration sessionTimeout, boolean enabled) {
        this.log = log;
        this.records = records;
        this.trace = trace;
        this.topic = topic;
        this.counter = counter;
        this.metrics = metrics;
        this.enabled = enabled;
        // A crashed instance's partitions move to the others once its session times out: records wait that long.
        properties = kafka.consumer(topic.substring(topic.lastIndexOf('.') + 1) + "-consumer", groupId, Map.of(
                "session.timeout.ms", String.valueOf(sessionTimeout.toMillis()),
                "heartbeat.interval.ms", String.valueOf(Math.max(1000, sessionTimeout.toMillis() / 3))));
    }

    void startConsuming() {
        if (!enabled) {
            return;
        }
        running = true;
        worker = new Thread(this::run, topic + "-consumer");
        worker.setDaemon(true);
        worker.start();
    }

    void stopConsuming() throws InterruptedException {
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
        Duration restartDelay = FIRST_BACKOFF;
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(properties, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = kafka;
                if (!awaitTopic(kafka)) {
                    return;
                }
                kafka.subscribe(List.of(topic), new ConsumerRebalanceListener() {
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
                    ConsumerRecords<String, byte[]> polled = kafka.poll(Duration.ofMillis(500));
                    restartDelay = FIRST_BACKOFF;
                    for (TopicPartition partition : polled.partitions()) {
                        consume(kafka, partition, polled.records(partition));
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (KafkaException | IllegalStateException e) {
                // The group or the broker went wrong (or refused the credentials): start a new consumer from the
                // committed offsets, waiting longer each time in a row.
                log.warnf("The %s consumer restarts in %d ms after: %s", topic, restartDelay.toMillis(),
                        LogSafe.of(e.getMessage()));
                paused.clear();
                waitWhileRunning(restartDelay);
                restartDelay = restartDelay.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
                        : restartDelay.multipliedBy(2);
            } finally {
                consumer = null;
            }
        }
    }

    /** Waits until the topic exists; false when stopped first. */
    private boolean awaitTopic(KafkaConsumer<String, byte[]> kafka) {
        long since = System.nanoTime();
        boolean warned = false;
        while (running) {
            if (!kafka.partitionsFor(topic, TOPIC_LOOKUP_TIMEOUT).isEmpty()) {
                if (warned) {
                    log.infof("Topic %s exists now; consuming it", topic);
                }
                return true;
            }
            if (!warned && System.nanoTime() - since > TOPIC_MISSING_WARNING.toNanos()) {
                log.warnf("Topic %s does not exist; its consumer waits for it (Tollgate creates it only with "
                        + "tollgate.outbox.create-topics=true)", topic);
                warned = true;
            }
            waitWhileRunning(TOPIC_CHECK_INTERVAL);
        }
        return false;
    }

    /** Applies a partition's records in order; stops at the first one that must be retried. */
    private void consume(KafkaConsumer<String, byte[]> kafka, TopicPartition partition,
                         List<ConsumerRecord<String, byte[]>> batch) {
        long next = -1;
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (!apply(kafka, partition, record)) {
                break;
            }
            next = record.offset() + 1;
        }
        if (next >= 0) {
            try {
                kafka.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
            } catch (KafkaException e) {
                // The partition moved to another consumer: its records come again there, and ce_id de-duplicates them.
                log.debugf("Could not commit %s@%d: %s", partition, next, e.getMessage());
            }
        }
    }

    /** Handles one record; false when it must be retried (the partition is then paused at it). */
    private boolean apply(KafkaConsumer<String, byte[]> kafka, TopicPartition partition,
                          ConsumerRecord<String, byte[]> record) {
        try {
            // In a span of the trace the record carries (ce_traceparent), so that what it causes joins that trace.
            String outcome = trace.consume(topic + " process", carried(record), () -> records.handle(record));
            paused.remove(partition);
            metrics.counter(counter, "outcome", outcome).increment();
            return true;
        } catch (RuntimeException e) {
            return retryOrGiveUp(kafka, partition, record, e);
        }
    }

    private boolean retryOrGiveUp(KafkaConsumer<String, byte[]> kafka, TopicPartition partition,
                                  ConsumerRecord<String, byte[]> record, RuntimeException e) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        String id = LogSafe.of(records.idOf(record));
        Paused before = paused.get(partition);
        int failures = before != null && before.offset() == record.offset() ? before.failures() + 1 : 1;
        DatabaseFailures.Kind kind = DatabaseFailures.classify(e);
        if (kind == DatabaseFailures.Kind.OTHER && failures >= MAX_UNEXPECTED_FAILURES) {
            log.errorf(e, "Record %s (%s) failed %d times; dead-lettering it", id, where, failures);
            try {
                records.giveUp(record, "failed " + failures + " times: " + LogSafe.of(String.valueOf(e.getMessage())));
                paused.remove(partition);
                metrics.counter(counter, "outcome", "dead_lettered").increment();
                return true;
            } catch (RuntimeException deadLetterFailed) {
                kind = DatabaseFailures.classify(deadLetterFailed);
            }
        }
        Duration backoff = before == null || before.offset() != record.offset() ? FIRST_BACKOFF
                : before.backoff().multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : before.backoff().multipliedBy(2);
        log.warnf("Could not apply record %s at %s (%s, %s); this partition retries in %d ms, the others go on",
                id, where, kind, LogSafe.of(String.valueOf(e.getMessage())), backoff.toMillis());
        kafka.seek(partition, record.offset());
        kafka.pause(Set.of(partition));
        paused.put(partition, new Paused(record.offset(), failures, System.nanoTime() + backoff.toNanos(), backoff));
        return false;
    }

    private static TraceContext.Carried carried(ConsumerRecord<String, byte[]> record) {
        return new TraceContext.Carried(header(record, "ce_traceparent"), header(record, "ce_tracestate"));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void resumeDue(KafkaConsumer<String, byte[]> kafka) {
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, Paused> entry : paused.entrySet()) {
            if (entry.getValue().resumeAtNanos() - now <= 0 && kafka.paused().contains(entry.getKey())) {
                kafka.resume(Set.of(entry.getKey()));
            }
        }
    }

    /** Waits, in short steps, so that stopping is not held up by a long wait. */
    private void waitWhileRunning(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        try {
            while (running && end - System.nanoTime() > 0) {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
