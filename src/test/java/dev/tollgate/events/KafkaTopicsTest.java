package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The topics as Tollgate creates them, from the {@code tollgate.outbox.topic-*} settings. */
class KafkaTopicsTest {

    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    private static List<NewTopic> topics(Map<String, String> properties) {
        // Quarkus' own converter reads the short forms ("30s") of the mapping's defaults.
        OutboxConfig config = new SmallRyeConfigBuilder().withMapping(OutboxConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 250)).build()
                .getConfigMapping(OutboxConfig.class);
        return KafkaTopics.newTopics(config);
    }

    private static NewTopic topic(List<NewTopic> topics, String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyTopicGetsThePartitionsReplicationAndRetentionConfigured() {
        List<NewTopic> topics = topics(Map.of("tollgate.outbox.topic-partitions", "6",
                "tollgate.outbox.topic-replication-factor", "3", "tollgate.outbox.topic-min-insync-replicas", "2",
                "tollgate.outbox.topic-retention", "P14D"));

        assertThat(topics).extracting(NewTopic::name).containsExactlyInAnyOrder("tollgate.promotions",
                "tollgate.deployments", "tollgate.signals", "tollgate.governance", "tollgate.audit");
        for (NewTopic topic : topics) {
            assertThat(topic.numPartitions()).isEqualTo(6);
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "2").containsEntry("cleanup.policy", "delete");
        }
        for (String name : List.of("tollgate.promotions", "tollgate.deployments", "tollgate.signals",
                "tollgate.governance")) {
            assertThat(topic(topics, name).configs()).containsEntry("retention.ms", String.valueOf(14 * DAY_MS));
        }
    }

    @Test
    void theAuditTopicKeepsItsCheckpointsTenYearsUnlessToldOtherwise() {
        assertThat(topic(topics(Map.of("tollgate.outbox.topic-retention", "P14D")), "tollgate.audit").configs())
                .containsEntry("retention.ms", String.valueOf(3650 * DAY_MS));
        assertThat(topic(topics(Map.of("tollgate.outbox.audit-topic-retention", "P400D")), "tollgate.audit").configs())
                .containsEntry("retention.ms", String.valueOf(400 * DAY_MS));
    }

    @Test
    void withoutSettingsTheBrokersDefaultsHoldForRetentionAndInSyncReplicas() {
        List<NewTopic> topics = topics(Map.of());

        assertThat(topic(topics, "tollgate.promotions").configs()).doesNotContainKeys("retention.ms", "min.insync.replicas");
        assertThat(topic(topics, "tollgate.promotions").numPartitions()).isEqualTo(3);
        assertThat(topic(topics, "tollgate.promotions").replicationFactor()).isEqualTo((short) 1);
    }
}
