package dev.tollgate.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.local.KafkaBroker;
import dev.tollgate.local.LocalServices;
import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.Submissions;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application against a broker that lets clients in with SASL/SCRAM-SHA-512 only, configured through
 * {@code kafka.*} settings alone, as for a managed Kafka (docs/operations.md, "Managed Kafka"): its events reach
 * {@code tollgate.promotions}, a deployment result published on {@code tollgate.deployments} moves the candidate on,
 * and with topic creation off it creates no topic and carries on once an operator has. Every test starts from a broker
 * without Tollgate's topics.
 */
class KafkaSaslIT {

    private static final String USER = "tollgate";
    private static final String PASSWORD = UUID.randomUUID().toString().replace("-", "");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    private static LocalServices services;

    @BeforeAll
    static void startServices() throws Exception {
        services = LocalServices.startTemporaryWithScram(Map.of(USER, PASSWORD));
    }

    @AfterAll
    static void stopServices() throws Exception {
        services.close();
    }

    @BeforeEach
    void withoutTollgateTopics() throws Exception {
        try (Admin admin = Admin.create(clientSettings())) {
            Set<String> topics = tollgateTopics(admin);
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> tollgateTopics(admin).isEmpty());
        }
    }

    @Test
    void createsItsTopicsPublishesAndConsumesWithScramGivenAsEnvironmentVariables() throws Exception {
        Map<String, String> environment = Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", KafkaBroker.SCRAM_MECHANISM,
                "KAFKA_SASL_JAAS_CONFIG", KafkaBroker.scramClientSettings(USER, PASSWORD).get("sasl.jaas.config"));
        Map<String, String> config = appConfig(Map.of("tollgate.outbox.topic-partitions", "2",
                "tollgate.outbox.topic-retention", "P2D", "tollgate.outbox.audit-topic-retention", "P400D"));

        try (AppProcess app = AppProcess.start("local", config, environment); Admin admin = Admin.create(clientSettings())) {
            await().atMost(WAIT).until(() -> tollgateTopics(admin).size() == KafkaTopics.ALL.size());
            assertThat(partitions(admin, EventTypes.PROMOTIONS_TOPIC)).isEqualTo(2);
            assertThat(topicSetting(admin, EventTypes.PROMOTIONS_TOPIC, "retention.ms")).isEqualTo(String.valueOf(2 * DAY_MS));
            assertThat(topicSetting(admin, EventTypes.AUDIT_TOPIC, "retention.ms")).isEqualTo(String.valueOf(400 * DAY_MS));

            String id = deployingToStaging(app);
            assertThat(publishedTypes(id, EventTypes.DEPLOYING)).contains(EventTypes.SUBMITTED, EventTypes.DEPLOYING);
            publishStagingSuccess(id);
            await().atMost(WAIT).until(() -> "AWAITING_APPROVAL".equals(stageOf(app, id)));
        }
    }

    @Test
    void withTopicCreationOffItCreatesNoTopicAndCarriesOnOnceAnOperatorHas() throws Exception {
        Map<String, String> config = appConfig(Map.of("tollgate.outbox.create-topics", "false",
                "tollgate.outbox.max-backoff", "1s"));
        KafkaBroker.scramClientSettings(USER, PASSWORD).forEach((setting, value) -> config.put("kafka." + setting, value));

        try (AppProcess app = AppProcess.start("local", config, Map.of()); Admin admin = Admin.create(clientSettings())) {
            String id = deployingToStaging(app);
            // The relay, the consumers and the checkpoint reader have all looked for their topics by now.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> tollgateTopics(admin).isEmpty());
            assertThat(backlog(app)).isPositive();

            admin.createTopics(KafkaTopics.ALL.stream().map(name -> new NewTopic(name, 3, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(publishedTypes(id, EventTypes.DEPLOYING)).contains(EventTypes.DEPLOYING);
            publishStagingSuccess(id);
            await().atMost(WAIT).until(() -> "AWAITING_APPROVAL".equals(stageOf(app, id)));
            await().atMost(WAIT).until(() -> backlog(app) == 0);
        }
    }

    @Test
    void withWrongCredentialsKafkaIsReportedDownAndNothingIsPublishedWhileRequestsAreServed() throws Exception {
        Map<String, String> config = appConfig(Map.of());
        KafkaBroker.scramClientSettings(USER, "not-" + PASSWORD).forEach((setting, value) -> config.put("kafka." + setting, value));

        try (AppProcess app = AppProcess.startAlive("local", config, Map.of()); Admin admin = Admin.create(clientSettings())) {
            deployingToStaging(app);
            await().atMost(WAIT).untilAsserted(() -> {
                var wellness = given().baseUri(app.baseUrl()).get("/q/health/well");
                assertThat(wellness.statusCode()).isEqualTo(503);
                assertThat(wellness.jsonPath().getString("checks.find { it.name == 'kafka' }.status")).isEqualTo("DOWN");
                var readiness = given().baseUri(app.baseUrl()).get("/q/health/ready");
                assertThat(readiness.statusCode()).as("still ready: requests are served, events wait").isEqualTo(200);
                assertThat(readiness.jsonPath().getLong("checks.find { it.name == 'outbox' }.data.backlogEvents")).isPositive();
            });
            assertThat(tollgateTopics(admin)).isEmpty();
        }
    }

    // --- the application ---------------------------------------------------------------------------

    /** Where the services are, and groups of this test's own, so that offsets of an earlier test never apply. */
    private static Map<String, String> appConfig(Map<String, String> settings) {
        Map<String, String> config = new HashMap<>(services.config());
        String group = "sasl-it-" + UUID.randomUUID();
        config.put("tollgate.deployments.group-id", group);
        config.put("tollgate.signals.group-id", group);
        config.putAll(settings);
        return config;
    }

    /** Submits a model and reports its evaluation: it passes and waits for its staging deployment. */
    private static String deployingToStaging(AppProcess app) {
        String id = as(app, "alice").contentType(ContentType.JSON)
                .body(Submissions.model(Submissions.uniqueName("sasl"), "1.0.0")).post("/api/v1/candidates")
                .then().statusCode(201).extract().path("id");
        as(app, "eve").contentType(ContentType.JSON).body("""
                {"suite": "offline-eval", "metrics": {"auc": 0.93}}""")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);
        return id;
    }

    private static String stageOf(AppProcess app, String id) {
        return as(app, "audrey").get("/api/v1/candidates/" + id).then().statusCode(200).extract().path("stage");
    }

    private static long backlog(AppProcess app) {
        JsonPath health = given().baseUri(app.baseUrl()).get("/q/health/ready").jsonPath();
        return health.getLong("checks.find { it.name == 'outbox' }.data.backlogEvents");
    }

    private static RequestSpecification as(AppProcess app, String user) {
        return given().baseUri(app.baseUrl()).auth().preemptive().basic(user, "demo").accept(ContentType.JSON);
    }

    // --- the test's own Kafka clients, signed in like the application ---------------------------------

    private static Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>(KafkaBroker.scramClientSettings(USER, PASSWORD));
        settings.put("bootstrap.servers", services.config().get(LocalServices.KAFKA));
        return settings;
    }

    private static Set<String> tollgateTopics(Admin admin) throws Exception {
        return admin.listTopics().names().get(10, TimeUnit.SECONDS).stream().filter(KafkaTopics.ALL::contains)
                .collect(Collectors.toSet());
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
    }

    private static String topicSetting(Admin admin, String topic, String setting) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource).get(setting).value();
    }

    /** The types of the candidate's events on tollgate.promotions, read from the start until {@code until} arrives. */
    private static List<String> publishedTypes(String candidateId, String until) {
        Map<String, Object> settings = clientSettings();
        settings.put("enable.auto.commit", "false");
        List<String> types = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(EventTypes.PROMOTIONS_TOPIC, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!types.contains(until) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (candidateId.equals(header(record, "ce_subject"))) {
                        types.add(header(record, "ce_type"));
                    }
                }
            }
        }
        return types;
    }

    private static void publishStagingSuccess(String candidateId) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTypes.DEPLOYMENTS_TOPIC, "MODEL/sasl", """
                {"candidateId": "%s", "stage": "staging", "environment": "eu-1"}""".formatted(candidateId)
                .getBytes(StandardCharsets.UTF_8));
        Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "/deployer/sasl-it",
                "ce_type", EventTypes.DEPLOYMENT_SUCCEEDED, "ce_subject", candidateId)
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (var producer = new KafkaProducer<>(clientSettings(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record).get(10, TimeUnit.SECONDS);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
