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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
        send(null, eventId, type, subject, data);
    }

    private void send(Integer partition, String eventId, String type, String subject, String data) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTypes.DEPLOYMENTS_TOPIC, partition, "MODEL/x",
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

    /** The reason a record with this ce_id (or its hash) was dead-lettered; null if it was not. */
    private String deadLettered(String eventId) {
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("select reason from deployment_dead_letter where event_id = :id")
                .setParameter("id", eventId).getResultList());
        return rows.isEmpty() ? null : String.valueOf(rows.get(0));
    }

    private long results(String candidateId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from deployment_result where candidate_id = :id")
                .setParameter("id", UUID.fromString(candidateId)).getSingleResult()).longValue());
    }

    private static String waitingForStaging(String prefix) {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName(prefix), "1.0.0"));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        return id;
    }

    @Test
    void resultOnKafkaMovesTheCandidateOnExactlyOnceBehindPoisonRecords() throws Exception {
        String id = waitingForStaging("kafka-result");
        String poisonJson = "poison-" + UUID.randomUUID();
        String wrongSubject = "subject-" + UUID.randomUUID();
        String good = "good-" + UUID.randomUUID();

        send(null, null, null, "{\"no\": \"headers\"}");
        send(poisonJson, EventTypes.DEPLOYMENT_SUCCEEDED, id, "{not json");
        send(wrongSubject, EventTypes.DEPLOYMENT_SUCCEEDED, UUID.randomUUID().toString(), data(id, "staging"));
        send(good, EventTypes.DEPLOYMENT_SUCCEEDED, id, data(id, "staging"));
        send(good, EventTypes.DEPLOYMENT_SUCCEEDED, id, data(id, "staging"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(outcome(good)).isEqualTo("ACCEPTED"));
        assertThat(deadLettered(poisonJson)).contains("not valid JSON");
        assertThat(deadLettered(wrongSubject)).contains("candidateId must equal ce_subject");
        assertThat(results(id)).isEqualTo(1);
    }

    @Test
    void staleResultsAreRecordedAndUnknownCandidatesDeadLettered() throws Exception {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("kafka-stale"), "1.0.0"));
        String stale = "stale-" + UUID.randomUUID();
        String unknown = "unknown-" + UUID.randomUUID();
        String missing = UUID.randomUUID().toString();

        send(stale, EventTypes.DEPLOYMENT_FAILED, id, data(id, "production"));
        send(unknown, EventTypes.DEPLOYMENT_SUCCEEDED, missing, data(missing, "staging"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLettered(unknown)).isEqualTo("no candidate " + missing));
        await().atMost(WAIT).untilAsserted(() -> assertThat(outcome(stale)).isEqualTo("STALE"));
        assertThat(stageOf(id)).isEqualTo("EVALUATING");
    }

    @Test
    void anOversizeEventIdIsDeadLetteredByItsHashAndTheResultsBehindItGoOn() throws Exception {
        String id = waitingForStaging("kafka-long-id");
        String longId = "x".repeat(300);
        String good = "good-" + UUID.randomUUID();

        send(0, longId, EventTypes.DEPLOYMENT_SUCCEEDED, id, data(id, "staging"));
        send(0, good, EventTypes.DEPLOYMENT_SUCCEEDED, id, data(id, "staging"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(outcome(good)).isEqualTo("ACCEPTED"));
        assertThat(deadLettered("sha256:" + dev.tollgate.shared.Sha256.hex(longId))).contains("ce_id must be 1 to 255");
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void aNulCharacterInTheDetailIsDeadLetteredAndTheResultsBehindItGoOn() throws Exception {
        String id = waitingForStaging("kafka-nul");
        String nul = "nul-" + UUID.randomUUID();
        String good = "good-" + UUID.randomUUID();

        send(1, nul, EventTypes.DEPLOYMENT_SUCCEEDED, id, "{\"candidateId\": \"" + id
                + "\", \"stage\": \"staging\", \"detail\": \"ok\\u0000\"}");
        send(1, good, EventTypes.DEPLOYMENT_SUCCEEDED, id, data(id, "staging"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(outcome(good)).isEqualTo("ACCEPTED"));
        assertThat(deadLettered(nul)).contains("detail").contains("NUL");
        long audited = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select count(*) from audit_entry where action = 'deployment.rejected' and data like :id")
                .setParameter("id", "%" + nul + "%").getSingleResult()).longValue());
        assertThat(audited).isEqualTo(1);
    }

    @Test
    void aRecordThatMustWaitPausesOnlyItsPartitionAndIsAppliedOnceItCan() throws Exception {
        String blocked = waitingForStaging("kafka-blocked");
        String free = waitingForStaging("kafka-free");
        String blockedEvent = "blocked-" + UUID.randomUUID();
        String freeEvent = "free-" + UUID.randomUUID();

        // Another transaction holds the blocked candidate's row: applying its result times out and must be retried.
        try (Connection c = DriverManager.getConnection(
                ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class), "postgres", "postgres")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("select id from candidate where id = '" + blocked + "' for update");
            }
            send(2, blockedEvent, EventTypes.DEPLOYMENT_SUCCEEDED, blocked, data(blocked, "staging"));
            Thread.sleep(300);
            send(0, freeEvent, EventTypes.DEPLOYMENT_SUCCEEDED, free, data(free, "staging"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(outcome(freeEvent)).isEqualTo("ACCEPTED"));
            assertThat(stageOf(blocked)).isEqualTo("DEPLOYING_STAGING");
            c.rollback();
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(outcome(blockedEvent)).isEqualTo("ACCEPTED"));
        assertThat(stageOf(blocked)).isEqualTo("AWAITING_APPROVAL");
        assertThat(results(blocked)).isEqualTo(1);
        assertThat(deadLettered(blockedEvent)).isNull();
    }
}
