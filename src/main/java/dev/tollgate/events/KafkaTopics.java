package dev.tollgate.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Tollgate's topics, prepared by the active relay before it publishes: the missing ones are created with the
 * {@code tollgate.outbox.topic-*} settings, or, with {@code tollgate.outbox.create-topics=false}, only looked for.
 * Then the relay does not write until the topics it writes exist: a producer's first write asks the broker for its
 * topic, and a broker that creates topics on demand would create it with the broker's defaults.
 */
@ApplicationScoped
public class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);
    private static final long TIMEOUT_SECONDS = 15;

    static final List<String> ALL = List.of(EventTypes.PROMOTIONS_TOPIC, EventTypes.DEPLOYMENTS_TOPIC,
            EventTypes.SIGNALS_TOPIC, EventTypes.GOVERNANCE_TOPIC, EventTypes.AUDIT_TOPIC);
    /** The topics the relay writes. */
    static final List<String> PUBLISHED = List.of(EventTypes.PROMOTIONS_TOPIC, EventTypes.GOVERNANCE_TOPIC,
            EventTypes.AUDIT_TOPIC);

    /** Thrown while a topic the relay writes is missing and Tollgate may not create it. */
    static final class Missing extends IllegalStateException {
        Missing(List<String> topics) {
            super("topics " + String.join(", ", topics) + " do not exist and tollgate.outbox.create-topics=false: "
                    + "create them (docs/operations.md, \"Managed Kafka\")");
        }
    }

    private final OutboxConfig config;
    private final KafkaClients clients;

    KafkaTopics(OutboxConfig config, KafkaClients clients) {
        this.config = config;
        this.clients = clients;
    }

    /** Creates the missing topics, or, when Tollgate creates none, throws {@link Missing} unless those it writes exist. */
    void prepare() throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(clients.admin("outbox-relay-admin"))) {
            // Only missing topics are created: a principal without the right to create may still use existing ones.
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (config.createTopics()) {
                List<NewTopic> missing = newTopics(config).stream().filter(t -> !existing.contains(t.name())).toList();
                if (!missing.isEmpty()) {
                    create(admin, missing);
                }
                return;
            }
            List<String> missing = PUBLISHED.stream().filter(name -> !existing.contains(name)).toList();
            if (!missing.isEmpty()) {
                throw new Missing(missing);
            }
        }
    }

    private static void create(Admin admin, List<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, KafkaFuture<Void>> created = admin.createTopics(topics).values();
        for (NewTopic topic : topics) {
            try {
                created.get(topic.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.infof("Created topic %s: %d partitions, replication factor %d, %s", topic.name(),
                        topic.numPartitions(), topic.replicationFactor(), topic.configs());
            } catch (ExecutionException e) {
                // Another replica, or an operator, created it meanwhile.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** Every topic as Tollgate creates it. */
    static List<NewTopic> newTopics(OutboxConfig config) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : ALL) {
            Map<String, String> settings = new HashMap<>();
            // All four are logs of distinct events under few keys: compaction would keep one event per key.
            settings.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            if (name.equals(EventTypes.AUDIT_TOPIC)) {
                settings.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(config.auditTopicRetention().toMillis()));
            } else {
                config.topicRetention().ifPresent(retention ->
                        settings.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis())));
            }
            config.topicMinInsyncReplicas().ifPresent(replicas ->
                    settings.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(replicas)));
            topics.add(new NewTopic(name, config.topicPartitions(), config.topicReplicationFactor()).configs(settings));
        }
        return topics;
    }
}
