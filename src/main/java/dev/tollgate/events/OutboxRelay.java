package dev.tollgate.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and marks a row sent only after the
 * broker acknowledged it. Delivery is at least once: a crash between the acknowledgement and the
 * mark re-sends the batch, and consumers drop the duplicates by {@code ce_id}.
 *
 * <p>The relay wakes up right after a transaction that wrote events commits, and polls as a
 * fallback (events written by another replica, or a wake-up lost to a crash).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final EntityManager em;
    private final OutboxConfig config;
    private final String bootstrapServers;
    private final Semaphore wakeUp = new Semaphore(0);

    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, byte[]> producer;

    OutboxRelay(EntityManager em, OutboxConfig config,
                @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.em = em;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.relayEnabled()) {
            LOG.info("Outbox relay disabled on this instance");
            return;
        }
        producer = new KafkaProducer<>(producerProperties(), new StringSerializer(), new ByteArraySerializer());
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (worker != null) {
            worker.interrupt();
            worker.join(10_000);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.OutboxWritten written) {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void run() {
        Duration backoff = Duration.ofMillis(200);
        boolean topicsReady = !config.createTopics();
        while (running) {
            try {
                if (!topicsReady) {
                    createTopics();
                    topicsReady = true;
                }
                int published = publishBatch();
                backoff = Duration.ofMillis(200);
                if (published < config.batchSize()) {
                    wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Outbox relay could not publish (%s); retrying in %d ms", rootMessage(e), backoff.toMillis());
                if (!sleep(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff()
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** Publishes the oldest unsent events; returns how many. */
    int publishBatch() throws InterruptedException, ExecutionException, TimeoutException {
        List<OutboxEvent> batch = QuarkusTransaction.requiringNew().call(() -> em
                .createQuery("from OutboxEvent where sentAt is null order by id", OutboxEvent.class)
                .setMaxResults(config.batchSize())
                .getResultList());
        if (batch.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (OutboxEvent event : batch) {
            acks.add(producer.send(CloudEventRecords.toRecord(event)));
        }
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        List<Long> ids = batch.stream().map(e -> e.id).toList();
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> em
                .createQuery("update OutboxEvent set sentAt = :now where id in :ids")
                .setParameter("now", now)
                .setParameter("ids", ids)
                .executeUpdate());
        return batch.size();
    }

    private void createTopics() throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("request.timeout.ms", "10000");
        props.put("default.api.timeout.ms", "10000");
        try (Admin admin = Admin.create(props)) {
            for (String topic : List.of(EventTypes.PROMOTIONS_TOPIC, EventTypes.DEPLOYMENTS_TOPIC)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, config.topicPartitions(),
                            config.topicReplicationFactor()))).all().get(15, TimeUnit.SECONDS);
                    LOG.infof("Created topic %s", topic);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
                ProducerConfig.LINGER_MS_CONFIG, "2",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
                ProducerConfig.CLIENT_ID_CONFIG, "tollgate-outbox-relay"));
        return props;
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
