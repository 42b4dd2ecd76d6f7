package dev.tollgate.observability;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The W3C trace context travels with the events (the CloudEvents distributed-tracing extension): a request's trace
 * into the events it causes, and a deployer's trace, carried by its result, into the events that result causes.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class TracePropagationTest {

    @Test
    void theEventsOfASubmissionCarryTheTraceOfItsRequest() {
        String trace = hex(32);
        String id = as("alice").header("traceparent", "00-" + trace + "-" + hex(16) + "-01")
                .contentType(ContentType.JSON).body(Submissions.model(Submissions.uniqueName("traced"), "1.0.0"))
                .post("/api/v1/candidates").then().statusCode(201).extract().path("id");

        var submitted = PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.SUBMITTED),
                Duration.ofSeconds(30)).get(0);
        assertThat(submitted.headers().get("ce_traceparent")).startsWith("00-" + trace + "-").endsWith("-01");
    }

    @Test
    void aDeploymentResultCarriesTheDeployersTraceIntoTheEventsItCauses() throws Exception {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("traced-deploy"), "1.0.0"));
        as("bob").contentType(ContentType.JSON).body("{\"decision\": \"APPROVE\", \"comment\": \"ok\"}")
                .post("/api/v1/approvals/" + dev.tollgate.testing.Api.taskOf(id) + "/decision").then().statusCode(200);
        String deployerTrace = hex(32);

        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTypes.DEPLOYMENTS_TOPIC, "MODEL/x",
                    ("{\"candidateId\": \"" + id + "\", \"stage\": \"production\", \"environment\": \"prod-eu-1\"}")
                            .getBytes(StandardCharsets.UTF_8));
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", UUID.randomUUID().toString());
            header(record, "ce_source", "/deployer/traced");
            header(record, "ce_type", EventTypes.DEPLOYMENT_SUCCEEDED);
            header(record, "ce_subject", id);
            header(record, "ce_traceparent", "00-" + deployerTrace + "-" + hex(16) + "-01");
            producer.send(record).get();
        }

        var promoted = PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.PROMOTED),
                Duration.ofSeconds(30)).stream().filter(e -> e.type().equals(EventTypes.PROMOTED)).findFirst().orElseThrow();
        assertThat(promoted.headers().get("ce_traceparent")).startsWith("00-" + deployerTrace + "-");
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(int digits) {
        StringBuilder out = new StringBuilder();
        while (out.length() < digits) {
            out.append(UUID.randomUUID().toString().replace("-", ""));
        }
        return out.substring(0, digits);
    }
}
