package dev.tollgate.release;

import static dev.tollgate.testing.Api.stageOf;
import static dev.tollgate.testing.Api.submitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deployers answer on Kafka; poison, duplicates and stale results never block nor double-apply. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class DeploymentResultConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    EntityManager em;

    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void openProducer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    private void send(String eventId, String type, String subject, String data) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTypes.DEPLOYMENTS_TOPIC, "MODEL/x",
                data.getBytes(StandardCharsets.UTF_8));
        if (eventId != null) {
            record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_id", eventId.getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_source", "/deployer/test".getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_subject", subject.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
    }

    private static String data(String candidateId, String stage) {
        return "{\"candidateId\": \"" + candidateId + "\", \"stage\": \"" + stage + "\", \"environment\": \"eu-1\"}";
    }

    private String outcome(String eventId) {
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("select outcome from processed_event where event_id = :id")
                .setParameter("id", eventId).getResultList());
        return rows.isEmpty() ? null : String.valueOf(rows.get(0));
    }

    private long results(String candidateId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from deployment_result where candidate_id = :id")
                .setParameter("id", UUID.fromString(candidateId)).getSingleResult()).longValue());
    }

    @Test
    void resultOnKafkaMovesTheCandidateOnExactlyOnceBehindPoisonRecords() throws Exception {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("kafka-result"), "1.0.0"));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        String poisonJson = "poison-" + UUID.randomUUID();
        String wrongSubject = "subject-" + UUID.randomUUID();
        String good = "good-" + UUID.randomUUID();

        send(null, null, null, "{\"no\": \"headers\"}");
        send(poisonJson, DeploymentResultConsumer.SUCCEEDED, id, "{not json");
        send(wrongSubject, DeploymentResultConsumer.SUCCEEDED, UUID.randomUUID().toString(), data(id, "staging"));
        send(good, DeploymentResultConsumer.SUCCEEDED, id, data(id, "staging"));
        send(good, DeploymentResultConsumer.SUCCEEDED, id, data(id, "staging"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(outcome(good)).isEqualTo("ACCEPTED"));
        assertThat(outcome(poisonJson)).isEqualTo("POISON");
        assertThat(outcome(wrongSubject)).isEqualTo("POISON");
        assertThat(results(id)).isEqualTo(1);
    }

    @Test
    void staleAndUnknownResultsAreRecordedAndChangeNothing() throws Exception {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("kafka-stale"), "1.0.0"));
        String stale = "stale-" + UUID.randomUUID();
        String unknown = "unknown-" + UUID.randomUUID();
        String missing = UUID.randomUUID().toString();

        send(stale, DeploymentResultConsumer.FAILED, id, data(id, "production"));
        send(unknown, DeploymentResultConsumer.SUCCEEDED, missing, data(missing, "staging"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(outcome(unknown)).isEqualTo("UNKNOWN_CANDIDATE"));
        assertThat(outcome(stale)).isEqualTo("STALE");
        assertThat(stageOf(id)).isEqualTo("EVALUATING");
    }
}
