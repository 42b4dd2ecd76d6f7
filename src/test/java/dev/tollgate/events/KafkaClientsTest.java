package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code kafka.*} properties as the Kafka clients receive them, read from configuration sources ordered as in the
 * application: system properties (400) over environment variables (300) over application.properties (250).
 */
class KafkaClientsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"tollgate\" password=\"s3cret\";";

    private static KafkaClients clients(Map<String, String> file, Map<String, String> environment,
                                        Map<String, String> system) {
        return new KafkaClients(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(file, "application.properties", 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(system, "system properties", 400))
                .build());
    }

    private static List<Map<String, Object>> everyClientOf(KafkaClients clients) {
        return List.of(clients.producer("p"), clients.consumer("c", "g", Map.of()), clients.admin("a"));
    }

    private static KafkaClients fromFile(Map<String, String> file) {
        return clients(file, Map.of(), Map.of());
    }

    @Test
    void environmentVariablesReachEveryClientUnderKafkasOwnNames() {
        KafkaClients clients = clients(Map.of(), Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker-1:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS), Map.of());

        for (Map<String, Object> settings : everyClientOf(clients)) {
            assertThat(settings).containsEntry("bootstrap.servers", "broker-1:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", JAAS)
                    .doesNotContainKeys("kafka.security.protocol", "KAFKA_SECURITY_PROTOCOL");
        }
    }

    @Test
    void propertiesReachEveryClientWithoutTheirPrefix() {
        KafkaClients clients = fromFile(Map.of("kafka.ssl.truststore.location", "/etc/kafka/ca.p12",
                "kafka.ssl.truststore.type", "PKCS12", "kafka.sasl.login.callback.handler.class", "com.example.Login",
                "kafka.sasl.oauthbearer.token.endpoint.url", "https://idp.example.com/token"));

        for (Map<String, Object> settings : everyClientOf(clients)) {
            assertThat(settings).containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
                    .containsEntry("ssl.truststore.type", "PKCS12")
                    .containsEntry("sasl.login.callback.handler.class", "com.example.Login")
                    .containsEntry("sasl.oauthbearer.token.endpoint.url", "https://idp.example.com/token");
        }
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironmentWhichWinsOverTheFile() {
        Map<String, String> file = Map.of("kafka.sasl.mechanism", "PLAIN", "kafka.security.protocol", "PLAINTEXT");
        Map<String, String> environment = Map.of("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL");

        Map<String, Object> settings = clients(file, environment, Map.of("kafka.sasl.mechanism", "SCRAM-SHA-512")).admin("a");

        assertThat(settings).containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void perClientOverridesWinOverCommonSettingsForTheirKindOnly() {
        KafkaClients clients = clients(Map.of("kafka.sasl.mechanism", "PLAIN", "kafka.admin.sasl.mechanism", "SCRAM-SHA-512"),
                Map.of("KAFKA_CONSUMER_MAX_POLL_RECORDS", "7", "KAFKA_PRODUCER_LINGER_MS", "20"), Map.of());

        assertThat(clients.admin("a")).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(clients.producer("p")).containsEntry("sasl.mechanism", "PLAIN").containsEntry("linger.ms", "20")
                .doesNotContainKeys("admin.sasl.mechanism", "producer.linger.ms", "max.poll.records");
        assertThat(clients.consumer("c", "g", Map.of())).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("max.poll.records", "7").doesNotContainKey("linger.ms");
    }

    @Test
    void aSettingKafkaDefinesForOtherKindsOfClientOnlyStaysWithThem() {
        KafkaClients clients = fromFile(Map.of("kafka.compression.type", "zstd", "kafka.fetch.max.bytes", "1048576",
                "kafka.config.providers", "file", "kafka.example.plugin.setting", "on"));

        assertThat(clients.producer("p")).containsEntry("compression.type", "zstd").doesNotContainKey("fetch.max.bytes");
        assertThat(clients.consumer("c", "g", Map.of())).containsEntry("fetch.max.bytes", "1048576")
                .doesNotContainKey("compression.type");
        assertThat(clients.admin("a")).doesNotContainKeys("compression.type", "fetch.max.bytes");
        for (Map<String, Object> settings : everyClientOf(clients)) {
            assertThat(settings).containsEntry("config.providers", "file").containsEntry("example.plugin.setting", "on");
        }
    }

    @Test
    void theProducerStaysIdempotentWithAcksAll() {
        Map<String, Object> settings = fromFile(Map.of("kafka.enable.idempotence", "false", "kafka.acks", "1",
                "kafka.producer.acks", "0", "kafka.transactional.id", "someone-else",
                "kafka.key.serializer", "com.example.Serializer")).producer("outbox-relay");

        assertThat(settings).containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .doesNotContainKeys("transactional.id", "key.serializer");
    }

    @Test
    void consumersCommitThemselvesReadCommittedRecordsFromTheEarliestAndCreateNoTopic() {
        Map<String, Object> settings = fromFile(Map.of("kafka.enable.auto.commit", "true",
                "kafka.consumer.isolation.level", "read_uncommitted", "kafka.auto.offset.reset", "latest",
                "kafka.allow.auto.create.topics", "true", "kafka.group.id", "someone-else",
                "kafka.group.instance.id", "static-1", "kafka.value.deserializer", "com.example.Deserializer"))
                .consumer("deployments-consumer", "tollgate", Map.of());

        assertThat(settings).containsEntry("enable.auto.commit", "false")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("allow.auto.create.topics", "false")
                .containsEntry("group.id", "tollgate")
                .doesNotContainKeys("group.instance.id", "value.deserializer");
    }

    @Test
    void aConsumerWithoutAGroupHasNoGroupId() {
        Map<String, Object> settings = fromFile(Map.of("kafka.group.id", "someone-else"))
                .consumer("audit-checkpoints-1", null, Map.of());

        assertThat(settings).doesNotContainKey("group.id").containsEntry("allow.auto.create.topics", "false");
    }

    @Test
    void tollgatesDefaultsGiveWayToKafkaSettingsAndItsOwnPropertiesDoNot() {
        KafkaClients clients = fromFile(Map.of("kafka.producer.linger.ms", "20",
                "kafka.consumer.session.timeout.ms", "45000", "kafka.max.poll.records", "500"));

        assertThat(clients.producer("p")).containsEntry("linger.ms", "20").containsEntry("max.block.ms", "10000");
        assertThat(clients.consumer("c", "g", Map.of("session.timeout.ms", "10000")))
                .containsEntry("session.timeout.ms", "10000").containsEntry("max.poll.records", "500");
    }

    @Test
    void theClientIdIsAPrefixThatKeepsEachClientApart() {
        KafkaClients named = fromFile(Map.of("kafka.client.id", "acme-tollgate", "kafka.admin.client.id", "ops"));

        assertThat(fromFile(Map.of()).producer("outbox-relay")).containsEntry("client.id", "tollgate-outbox-relay");
        assertThat(named.producer("outbox-relay")).containsEntry("client.id", "acme-tollgate-outbox-relay");
        assertThat(named.consumer("signals-consumer", "g", Map.of())).containsEntry("client.id", "acme-tollgate-signals-consumer");
        assertThat(named.admin("outbox-relay-admin")).containsEntry("client.id", "ops-outbox-relay-admin");
    }

    @Test
    void onlyKafkaPropertiesAndKafkaEnvironmentVariablesNameSettings() {
        assertThat(KafkaClients.settingName("kafka.sasl.jaas.config")).isEqualTo("sasl.jaas.config");
        assertThat(KafkaClients.settingName("KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM"))
                .isEqualTo("ssl.endpoint.identification.algorithm");
        assertThat(KafkaClients.settingName("KAFKA_PRODUCER_COMPRESSION_TYPE")).isEqualTo("producer.compression.type");
        assertThat(KafkaClients.settingName("%dev.kafka.bootstrap.servers")).isNull();
        assertThat(KafkaClients.settingName("quarkus.kafka.health.enabled")).isNull();
        assertThat(KafkaClients.settingName("kafkaesque.setting")).isNull();
        assertThat(KafkaClients.settingName("Kafka_Mixed_Case")).isNull();
        assertThat(KafkaClients.settingName("KAFKA_")).isNull();
        assertThat(KafkaClients.settingName("kafka.")).isNull();
    }

    @Test
    void blankValuesAreLeftOut() {
        assertThat(fromFile(Map.of("kafka.sasl.mechanism", " ")).admin("a")).doesNotContainKey("sasl.mechanism");
    }
}
