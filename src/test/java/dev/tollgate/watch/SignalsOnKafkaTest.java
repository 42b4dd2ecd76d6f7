package dev.tollgate.watch;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.Watches;
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
import org.junit.jupiter.api.Test;

/** Monitors that publish: signals on {@code tollgate.signals}, CloudEvents in binary mode, applied once per id. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class SignalsOnKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EntityManager em;

    @Test
    void aProviderObservationPublishedOnKafkaStartsAReevaluationOnceHoweverOftenItArrives() throws Exception {
        String name = Submissions.uniqueName("published");
        String id = Watches.promptInProduction("watched", name, "1", "gpt-4o-2024-08-06", "fp_a");
        String signalId = "serving-" + UUID.randomUUID();
        String data = """
                {"kind": "PROMPT", "name": "%s", "provider": "openai", "model": "gpt-4o-2024-08-06",
                 "fingerprint": "fp_b", "source": "support-api"}""".formatted(name);

        publish(signalId, EventTypes.SIGNAL_PROVIDER, data);
        publish(signalId, EventTypes.SIGNAL_PROVIDER, data);

        await().atMost(WAIT).untilAsserted(() -> as("audrey").queryParam("candidateId", id).get("/api/v1/reevaluations")
                .then().body("items.size()", equalTo(1)).body("items[0].trigger", equalTo("PROVIDER_CHANGE")));
        Thread.sleep(1000);
        as("audrey").queryParam("candidateId", id).get("/api/v1/reevaluations").then()
                .body("items.size()", equalTo(1)).body("items[0].signalCount", equalTo(1))
                .body("items[0].signals[0].signalId", equalTo(signalId))
                .body("items[0].signals[0].receivedBy", equalTo("kafka:tollgate.signals"));
    }

    @Test
    void aRecordThatIsNoSignalIsDeadLetteredAndTheNextOneIsApplied() throws Exception {
        String name = Submissions.uniqueName("after-poison");
        String id = Watches.promptInProduction("watched", name, "1", "gpt-4o-2024-08-06", "fp_a");
        String poison = "poison-" + UUID.randomUUID();

        publish(poison, EventTypes.SIGNAL_DRIFT, "{\"kind\": \"PROMPT\", \"name\": \"" + name + "\", \"metric\": \"psi\"}");
        publish("good-" + UUID.randomUUID(), EventTypes.SIGNAL_DRIFT,
                "{\"kind\": \"PROMPT\", \"name\": \"" + name + "\", \"metric\": \"answer_relevance\", \"value\": 0.5}");

        await().atMost(WAIT).untilAsserted(() -> as("audrey").queryParam("candidateId", id).get("/api/v1/reevaluations")
                .then().body("items.size()", equalTo(1)).body("items[0].trigger", equalTo("DRIFT")));
        List<?> reasons = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select reason from deployment_dead_letter where topic = 'tollgate.signals' and event_id = :id")
                .setParameter("id", poison).getResultList());
        assertThat(reasons).singleElement().asString().contains("value").contains("required for a drift signal");
        await().atMost(WAIT).untilAsserted(() -> assertThat(as("audrey").queryParam("type", "signal.rejected")
                .queryParam("limit", "1000").get("/api/v1/audit").then().extract().<List<String>>path("items.data.eventId"))
                .contains(poison));
    }

    private static void publish(String signalId, String type, String data) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTypes.SIGNALS_TOPIC, "PROMPT/x",
                    data.getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_id", signalId.getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_source", "/monitor/test".getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
            record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
