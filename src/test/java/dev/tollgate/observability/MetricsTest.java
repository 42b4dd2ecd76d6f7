package dev.tollgate.observability;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.tollgate.events.EventTypes;
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

/**
 * One promotion, one failed gate and one re-evaluation, then every metric docs/operations.md lists (and the
 * dashboard and alert rules under deploy/ use) is on {@code /q/metrics}.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class MetricsTest {

    /** The Prometheus names of Tollgate's own metrics, as docs/operations.md ("Metrics") lists them. */
    static final List<String> METRICS = List.of(
            "tollgate_promotion_stage_entered_total", "tollgate_promotion_ended_total",
            "tollgate_promotion_stage_seconds_bucket", "tollgate_promotion_stage_seconds_count",
            "tollgate_promotions_active", "tollgate_promotion_oldest_active_seconds",
            "tollgate_approval_lead_time_seconds_bucket", "tollgate_approval_lead_time_seconds_count",
            "tollgate_approval_tasks_open", "tollgate_approval_tasks_overdue",
            "tollgate_gate_failures_total", "tollgate_timers_overdue",
            "tollgate_outbox_backlog_events", "tollgate_outbox_backlog_age_seconds", "tollgate_outbox_relay_active",
            "tollgate_outbox_published_events", "tollgate_outbox_publish_latency_seconds_bucket",
            "tollgate_audit_unsealed_entries", "tollgate_audit_unsealed_age_seconds",
            "tollgate_audit_sealing_lag_seconds_count",
            "tollgate_deployments_received_total",
            "tollgate_signals_received_total", "tollgate_reevaluations_started_total",
            "tollgate_reevaluations_ended_total", "tollgate_reevaluations_open");

    @Test
    void aPromotionAFailedGateAndAReevaluationShowInTheMetrics() {
        String name = Submissions.uniqueName("metered");
        String id = Promotions.toProduction(Submissions.model(name, "1.0.0"));
        // The bench pipeline judges the submitted metrics at once: an auc of 0.5 fails its threshold.
        Api.submitted("alice", Submissions.model("bench", Submissions.uniqueName("metered-low"), "1.0.0",
                Submissions.DIGEST_A, 0.5, 41.0, true, false));
        Watches.drift("MODEL", name, "psi", 0.4).statusCode(201).extract().path("reevaluationId");
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        staleDeploymentResultOnKafka(id);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = as("mona").accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(METRICS).allSatisfy(metric -> assertThat(metrics).as(metric).contains("\n" + metric));
            assertThat(metrics).contains("tollgate_promotion_ended_total{kind=\"MODEL\",outcome=\"IN_PRODUCTION\"",
                    "tollgate_gate_failures_total{gate=\"THRESHOLD\",metric=\"auc\"",
                    "tollgate_reevaluations_started_total{trigger=\"DRIFT\"",
                    "tollgate_reevaluations_ended_total{status=\"PASSED\"",
                    "tollgate_deployments_received_total{outcome=\"stale\"",
                    "tollgate_signals_received_total{outcome=\"REEVALUATION_STARTED\",type=\"drift\"");
        });
    }

    /** A deployer's late result on tollgate.deployments, for the consumer's counter. */
    private static void staleDeploymentResultOnKafka(String candidateId) {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTypes.DEPLOYMENTS_TOPIC, "MODEL/x",
                    ("{\"candidateId\": \"" + candidateId + "\", \"stage\": \"staging\"}").getBytes(StandardCharsets.UTF_8));
            for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", UUID.randomUUID().toString()},
                    {"ce_source", "/deployer/metrics"}, {"ce_type", EventTypes.DEPLOYMENT_SUCCEEDED},
                    {"ce_subject", candidateId}}) {
                record.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
