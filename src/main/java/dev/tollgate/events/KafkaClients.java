package dev.tollgate.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * The settings of every Kafka client Tollgate makes (the relay's producer and admin client, the consumers of
 * {@code tollgate.deployments} and {@code tollgate.signals}, the reader of audit checkpoints), taken from the
 * {@code kafka.*} properties as any Kafka client takes its own: {@code kafka.security.protocol} (or
 * {@code KAFKA_SECURITY_PROTOCOL}) becomes {@code security.protocol}. docs/operations.md, "Managed Kafka".
 *
 * <p>Precedence, lowest first: Tollgate's defaults; the common {@code kafka.<setting>}, for every client that Kafka
 * defines the setting for (or every client, when no Kafka client defines it: a plugin's own setting); the
 * overrides {@code kafka.producer.*}, {@code kafka.consumer.*}, {@code kafka.admin.*}; last, what Tollgate's
 * guarantees and its own {@code tollgate.*} properties fix. Among sources of one name, MicroProfile Config's
 * order holds (system property, then environment variable, then application.properties).
 */
@ApplicationScoped
public class KafkaClients {

    static final String PREFIX = "kafka.";
    private static final String ENV_PREFIX = "KAFKA_";
    private static final String DEFAULT_CLIENT_ID = "tollgate";

    /** A kind of client: its overrides live under {@code kafka.<prefix>.}. */
    enum Kind {
        PRODUCER("producer", ProducerConfig.configNames()),
        CONSUMER("consumer", ConsumerConfig.configNames()),
        ADMIN("admin", AdminClientConfig.configNames());

        final String prefix;
        final Set<String> names;

        Kind(String prefix, Set<String> names) {
            this.prefix = prefix + ".";
            this.names = names;
        }

        /** Whether a common setting reaches this kind: Kafka defines it here, or for no client at all. */
        boolean takes(String setting) {
            if (names.contains(setting)) {
                return true;
            }
            for (Kind other : values()) {
                if (other.names.contains(setting)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Map<String, String> common = new TreeMap<>();
    private final Map<Kind, Map<String, String>> overrides = new EnumMap<>(Kind.class);

    @Inject
    KafkaClients(Config config) {
        this(settingsOf(config));
    }

    /** From settings without the {@code kafka.} prefix, e.g. {@code security.protocol} or {@code producer.linger.ms}. */
    KafkaClients(Map<String, String> settings) {
        for (Kind kind : Kind.values()) {
            overrides.put(kind, new TreeMap<>());
        }
        settings.forEach((name, value) -> {
            for (Kind kind : Kind.values()) {
                if (name.startsWith(kind.prefix)) {
                    overrides.get(kind).put(name.substring(kind.prefix.length()), value);
                    return;
                }
            }
            common.put(name, value);
        });
    }

    /**
     * The relay's producer. Enforced: idempotence and {@code acks=all} (an acknowledged event is on every in-sync
     * replica and a retry never writes it twice), no transactional id (the relay does not use transactions).
     */
    public Map<String, Object> producer(String name) {
        Map<String, Object> settings = settings(Kind.PRODUCER, name, Map.of(
                ProducerConfig.LINGER_MS_CONFIG, "1",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"), Map.of());
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        settings.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        settings.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return settings;
    }

    /**
     * A consumer in {@code groupId} (null: no group, partitions assigned by hand), with {@code fixed} settings from
     * Tollgate's own properties. Enforced: offsets committed by Tollgate after a record is applied, only committed
     * records read, a new group starting from the earliest record (no result is skipped), and no topic created by
     * subscribing (docs/operations.md: {@code tollgate.outbox.create-topics=false} means no topic is created).
     */
    public Map<String, Object> consumer(String name, String groupId, Map<String, String> fixed) {
        Map<String, Object> settings = settings(Kind.CONSUMER, name,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100"), fixed);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // Static membership would give every consumer of every replica one identity in the group.
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        settings.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        if (groupId == null) {
            settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        } else {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return settings;
    }

    /** The admin client that creates or looks for Tollgate's topics. */
    public Map<String, Object> admin(String name) {
        return settings(Kind.ADMIN, name, Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"), Map.of());
    }

    /** Defaults, then common settings this kind takes, then its overrides, then the fixed ones and the client id. */
    private Map<String, Object> settings(Kind kind, String name, Map<String, String> defaults, Map<String, String> fixed) {
        Map<String, Object> settings = new HashMap<>(defaults);
        common.forEach((setting, value) -> {
            if (kind.takes(setting)) {
                settings.put(setting, value);
            }
        });
        settings.putAll(overrides.get(kind));
        settings.putAll(fixed);
        // Each client keeps an id of its own, so that the broker's logs and quotas tell them apart.
        Object prefix = settings.getOrDefault(CommonClientConfigs.CLIENT_ID_CONFIG, DEFAULT_CLIENT_ID);
        settings.put(CommonClientConfigs.CLIENT_ID_CONFIG, prefix + "-" + name);
        return settings;
    }

    /** Every {@code kafka.*} setting of the configuration, environment variables {@code KAFKA_*} included. */
    static Map<String, String> settingsOf(Config config) {
        Map<String, String> settings = new HashMap<>();
        for (String property : config.getPropertyNames()) {
            String setting = settingName(property);
            if (setting != null && !settings.containsKey(setting)) {
                // Asked by its dotted name, the value comes from the source that wins (a -D option over KAFKA_X over the file).
                config.getOptionalValue(PREFIX + setting, String.class)
                        .filter(value -> !value.isBlank())
                        .ifPresent(value -> settings.put(setting, value));
            }
        }
        return settings;
    }

    /**
     * The Kafka setting a property names, or null: {@code kafka.sasl.jaas.config} and {@code KAFKA_SASL_JAAS_CONFIG}
     * both name {@code sasl.jaas.config} (Kafka's own names are lower case with dots only). Names of another profile
     * ({@code %dev.kafka...}) name nothing.
     */
    static String settingName(String property) {
        if (property.startsWith(PREFIX) && property.length() > PREFIX.length()) {
            return property.substring(PREFIX.length());
        }
        if (property.startsWith(ENV_PREFIX) && property.length() > ENV_PREFIX.length()
                && property.equals(property.toUpperCase(Locale.ROOT))) {
            return property.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        }
        return null;
    }
}
