package dev.tollgate.events;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How Tollgate's own Kafka clients (the outbox relay and its topic creation, the deployments and signals consumers,
 * the audit checkpoint reader) authenticate to the brokers and trust them: every {@code kafka.security.*},
 * {@code kafka.sasl.*} and {@code kafka.ssl.*} setting, in either form ({@code kafka.sasl.jaas.config} or
 * {@code KAFKA_SASL_JAAS_CONFIG}), handed to the client without its {@code kafka.} prefix. Quarkus' Kafka health
 * check reads the same settings, so the readiness probe and the clients connect alike. Without any, the clients
 * connect in plain text, as a local broker expects.
 *
 * <p>Only security settings pass: the clients keep their own timeouts, acknowledgements and group ids, which
 * Tollgate's guarantees depend on (docs/events.md).
 */
public final class KafkaClientSecurity {

    private static final List<String> SECURITY_PREFIXES = List.of("security.", "sasl.", "ssl.");

    private KafkaClientSecurity() {
    }

    /** Adds the configured security settings to a client's properties and returns them. */
    public static Properties addTo(Properties client) {
        client.putAll(settings(ConfigProvider.getConfig()));
        return client;
    }

    /** The security settings in {@code config}, by the Kafka client's name for each. */
    static Map<String, String> settings(Config config) {
        Map<String, String> settings = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            String key = clientKey(name);
            if (key != null) {
                config.getOptionalValue(name, String.class).ifPresent(value -> settings.put(key, value));
            }
        }
        return settings;
    }

    /**
     * The Kafka client setting a configuration name stands for, or null when it is not a security setting. The
     * client's names have dots and no underscores, so an environment variable's underscores are all dots.
     */
    static String clientKey(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("kafka.") && !lower.startsWith("kafka_")) {
            return null;
        }
        String key = lower.substring("kafka.".length()).replace('_', '.');
        return SECURITY_PREFIXES.stream().anyMatch(key::startsWith) ? key : null;
    }
}
