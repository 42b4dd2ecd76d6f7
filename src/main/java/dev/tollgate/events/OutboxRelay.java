package dev.tollgate.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and marks a row sent only after the
 * broker acknowledged it.
 *
 * <p>One relay is active across all replicas: the one whose dedicated database session holds the
 * PostgreSQL advisory lock {@link #LOCK_KEY}. The others wait and try again; when the active
 * instance dies, its session ends, the lock is released, and another instance takes over within
 * {@code tollgate.outbox.takeover-interval}. The same session LISTENs on {@link #CHANNEL}: after
 * every commit that wrote events, on any replica, {@link OutboxNotifier} NOTIFYs it, so events are
 * published right after their commit; the poll interval is only a fallback.
 *
 * <p>Delivery is at least once: a crash between the acknowledgement and the mark re-sends the
 * batch, and consumers drop the duplicates by {@code ce_id}. While Kafka is unreachable, refuses its
 * credentials, or lacks a topic the relay writes ({@link KafkaTopics}), the relay retries with exponential
 * back-off, so nothing is lost or reordered. Its clients' settings are {@link KafkaClients}'.
 *
 * <p>Longer than 200 lines on purpose: leadership (one relay across replicas), the publish loop and its failure handling are one state machine, easier to check read in one piece.
 */
@ApplicationScoped
public class OutboxRelay {

    static final long LOCK_KEY = 0x746f6c6c67617465L; // "tollgate" in ASCII
    static final String CHANNEL = "tollgate_outbox";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);

    private final OutboxConfig config;
    private final Timer publishLatency;
    private final KafkaClients kafka;
    private final KafkaTopics topics;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final AtomicBoolean active = new AtomicBoolean();
    private final AtomicLong published = new AtomicLong();

    private volatile boolean running;
    private volatile Connection session;
    private Thread worker;
    private KafkaProducer<String, byte[]> producer;

    OutboxRelay(OutboxConfig config, KafkaClients kafka, KafkaTopics topics, MeterRegistry registry,
                @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                @ConfigProperty(name = "quarkus.datasource.username") String username,
                @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.config = config;
        this.publishLatency = Timer.builder("tollgate.outbox.publish.latency")
                .description("From an event's change to the broker's acknowledgement of its record")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        this.kafka = kafka;
        this.topics = topics;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /** Whether this instance is the active relay right now. */
    public boolean isActive() {
        return active.get();
    }

    /** Events this instance published since it started. */
    public long publishedCount() {
        return published.get();
    }

    void start(@Observes StartupEvent startup) {
        if (!config.relayEnabled()) {
            LOG.info("Outbox relay disabled on this instance");
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        closeQuietly(session);
        if (worker != null) {
            worker.interrupt();
            worker.join(10_000);
        }
        closeProducer();
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password)) {
                session = connection;
                connection.setAutoCommit(true);
                awaitLeadership(connection);
                if (!running) {
                    return;
                }
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                LOG.info("This instance is now the active outbox relay");
                topics.prepare();
                backoff = MIN_BACKOFF;
                long lastPrune = 0;
                while (running) {
                    int count = publishBatch(connection);
                    backoff = MIN_BACKOFF;
                    if (System.nanoTime() - lastPrune > config.pruneInterval().toNanos()) {
                        prune(connection);
                        lastPrune = System.nanoTime();
                    }
                    if (count < config.batchSize()) {
                        awaitNotification(connection);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Outbox relay paused (%s); retrying in %d ms", rootMessage(e), backoff.toMillis());
                closeProducer();
                if (!sleep(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff()
                        : backoff.multipliedBy(2);
            } finally {
                active.set(false);
                session = null;
            }
        }
    }

    private void awaitLeadership(Connection connection) throws SQLException, InterruptedException {
        boolean waitingLogged = false;
        while (running) {
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        active.set(true);
                        return;
                    }
                }
            }
            if (!waitingLogged) {
                LOG.info("Another instance is the active outbox relay; this one stands by");
                waitingLogged = true;
            }
            Thread.sleep(config.takeoverInterval().toMillis());
        }
    }

    private void awaitNotification(Connection connection) throws SQLException {
        PGNotification[] notifications = connection.unwrap(PGConnection.class)
                .getNotifications((int) config.pollInterval().toMillis());
        if (notifications == null) {
            // getNotifications returns without a round trip when nothing arrived; check the session is alive.
            try (Statement ping = connection.createStatement()) {
                ping.execute("select 1");
            }
        }
    }

    /** Publishes the oldest unsent events; returns how many. */
    int publishBatch(Connection connection) throws SQLException, InterruptedException, ExecutionException,
            TimeoutException {
        List<Long> ids = new ArrayList<>();
        List<java.time.Instant> changedAt = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select id, event_id, topic, record_key, event_type, subject, sequence, occurred_at, payload,
                       traceparent, tracestate
                from outbox_event where sent_at is null order by id limit ?""")) {
            select.setInt(1, config.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong("id"));
                    OutboxEvent event = new OutboxEvent();
                    event.eventId = rs.getObject("event_id", UUID.class);
                    event.topic = rs.getString("topic");
                    event.recordKey = rs.getString("record_key");
                    event.eventType = rs.getString("event_type");
                    event.subject = rs.getString("subject");
                    event.sequence = rs.getInt("sequence");
                    event.occurredAt = rs.getTimestamp("occurred_at").toInstant();
                    event.payload = rs.getString("payload");
                    event.traceparent = rs.getString("traceparent");
                    event.tracestate = rs.getString("tracestate");
                    changedAt.add(event.occurredAt);
                    records.add(CloudEventRecords.toRecord(event));
                }
            }
        }
        if (records.isEmpty()) {
            return 0;
        }
        KafkaProducer<String, byte[]> publisher = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            acks.add(publisher.send(record));
        }
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        java.time.Instant acknowledged = java.time.Instant.now();
        changedAt.forEach(at -> publishLatency.record(Duration.between(at, acknowledged)));
        try (PreparedStatement mark = connection.prepareStatement(
                "update outbox_event set sent_at = now() where id = any(?)")) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            mark.setArray(1, array);
            mark.executeUpdate();
        }
        published.addAndGet(ids.size());
        return ids.size();
    }

    private void prune(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from outbox_event where sent_at is not null and sent_at < now() - cast(? as interval)")) {
            delete.setString(1, config.retention().toSeconds() + " seconds");
            int pruned = delete.executeUpdate();
            if (pruned > 0) {
                LOG.debugf("Pruned %d sent outbox events", pruned);
            }
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(kafka.producer("outbox-relay"), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** A producer that saw a failure is replaced, so that a retry starts a fresh idempotent session. */
    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Closing the Kafka producer failed", e);
            }
            producer = null;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already closing
            }
        }
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
