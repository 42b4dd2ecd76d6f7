package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

    @Test
    void environmentVariablesBecomeTheClientsSecuritySettings() {
        Config config = config(Map.of(), Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/tollgate/kafka-ca/ca.crt"));

        assertThat(KafkaClientSecurity.settings(config)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/tollgate/kafka-ca/ca.crt"));
    }

    @Test
    void anEnvironmentVariableOverridesTheSameSettingInTheProperties() {
        Config config = config(Map.of("kafka.security.protocol", "SASL_PLAINTEXT"),
                Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

        assertThat(KafkaClientSecurity.settings(config)).containsExactlyEntriesOf(Map.of("security.protocol", "SASL_SSL"));
    }

    @Test
    void settingsOtherThanSecurityStayWithTheClient() {
        Config config = config(Map.of("kafka.bootstrap.servers", "kafka:9092", "kafka.acks", "1",
                "kafka.group.id", "someone-else"), Map.of("KAFKA_ENABLE_IDEMPOTENCE", "false"));

        assertThat(KafkaClientSecurity.settings(config)).isEmpty();
    }

    @Test
    void namesOutsideKafkaAreNotSecuritySettingsOfTheClients() {
        assertThat(KafkaClientSecurity.clientKey("quarkus.kafka.sasl.mechanism")).isNull();
        assertThat(KafkaClientSecurity.clientKey("kafkasasl.mechanism")).isNull();
        assertThat(KafkaClientSecurity.clientKey("kafka.sasl.mechanism")).isEqualTo("sasl.mechanism");
    }

    private static Config config(Map<String, String> properties, Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new EnvConfigSource(environment, 300))
                .build();
    }
}
