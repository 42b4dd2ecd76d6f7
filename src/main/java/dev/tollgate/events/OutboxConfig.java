package dev.tollgate.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

@ConfigMapping(prefix = "tollgate.outbox")
public interface OutboxConfig {

    /** Whether this instance publishes the outbox to Kafka. */
    @WithDefault("true")
    boolean relayEnabled();

    /** The longest a committed event waits when no in-process wake-up reached the relay. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Events read and published per round trip. */
    @WithDefault("200")
    int batchSize();

    /** Longest pause between retries while Kafka is unreachable. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** How often a standby instance tries to become the active relay. */
    @WithDefault("2s")
    Duration takeoverInterval();

    /** How long sent events stay in the outbox table before they are deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** How often the active relay deletes sent events older than the retention. */
    @WithDefault("10m")
    Duration pruneInterval();

    /** Create Tollgate's topics at start-up when they are missing. */
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of topics that Tollgate creates. */
    @WithDefault("3")
    int topicPartitions();

    /** Replication factor of topics that Tollgate creates. */
    @WithDefault("1")
    short topicReplicationFactor();

    /** {@code min.insync.replicas} of topics that Tollgate creates; the broker's default when absent. */
    OptionalInt topicMinInsyncReplicas();

    /**
     * {@code retention.ms} of {@code tollgate.promotions}, {@code tollgate.deployments}, {@code tollgate.signals}
     * and {@code tollgate.governance} when Tollgate creates them; the broker's default when absent.
     */
    Optional<Duration> topicRetention();

    /** {@code retention.ms} of {@code tollgate.audit} when Tollgate creates it: checkpoints that expired anchor nothing. */
    @WithDefault("P3650D")
    Duration auditTopicRetention();
}
