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
import dev.tollgate.deploy.ObservabilityFilesTest;
import dev.tollgate.events.EventTypes;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * One promotion, one failed gate and one re-evaluation, then every metric that the dashboard and the alert rules
 * under deploy/ may use ({@link ObservabilityFilesTest#METRICS}) is on {@code /q/metrics}, with its labels.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class MetricsTest {

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
        unreadableRecord(EventTypes.DEPLOYMENTS_TOPIC);
        unreadableRecord(EventTypes.SIGNALS_TOPIC);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = as("mona").accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
            ObservabilityFilesTest.METRICS.forEach((metricName, metric) -> {
                String series = metric.type() == ObservabilityFilesTest.Type.HISTOGRAM ? metricName + "_bucket" : metricName;
                assertThat(metrics).as(series).contains("\n" + series);
                labelsOf(metrics, series).forEach(labels -> assertThat(labels).as("the labels of " + series)
                        .isSubsetOf(allowed(metric)));
                if (metric.type() == ObservabilityFilesTest.Type.GAUGE) {
                    assertThat(valuesOf(metrics, series)).as("the values of " + series).isNotEmpty()
                            .allSatisfy(value -> assertThat(value).isNotNaN().isNotNegative());
                }
            });
            assertThat(metrics).as("the audit sealing lag").contains("\ntollgate_audit_sealing_lag_seconds_count");
            assertThat(metrics).contains("tollgate_promotion_ended_total{kind=\"MODEL\",outcome=\"IN_PRODUCTION\"",
                    "tollgate_gate_failures_total{gate=\"THRESHOLD\",metric=\"auc\"",
                    "tollgate_reevaluations_started_total{trigger=\"DRIFT\"",
                    "tollgate_reevaluations_ended_total{status=\"PASSED\"",
                    "tollgate_deployments_received_total{outcome=\"stale\"",
                    "tollgate_signals_received_total{outcome=\"REEVALUATION_STARTED\",type=\"drift\"",
                    // The outcome the dead-letter alert selects on, for both inbound topics.
                    "tollgate_deployments_received_total{outcome=\"dead_lettered\"",
                    "tollgate_signals_consumed_total{outcome=\"dead_lettered\"");
        });
    }

    /** The value of every sample of {@code series} in the exposition text. */
    private static List<Double> valuesOf(String exposition, String series) {
        Matcher m = Pattern.compile("\n" + series + "(?:\\{[^}]*})? (\\S+)").matcher(exposition);
        List<Double> values = new java.util.ArrayList<>();
        while (m.find()) {
            values.add(Double.parseDouble(m.group(1)));
        }
        return values;
    }

    /** The label names of every sample of {@code series} in the exposition text. */
    private static List<Set<String>> labelsOf(String exposition, String series) {
        Matcher m = Pattern.compile("\n" + series + "\\{([^}]*)}").matcher(exposition);
        List<Set<String>> all = new java.util.ArrayList<>();
        while (m.find()) {
            Set<String> names = new java.util.TreeSet<>();
            for (String pair : m.group(1).split(",")) {
                if (!pair.isBlank()) {
                    names.add(pair.substring(0, pair.indexOf('=')).strip());
                }
            }
            all.add(names);
        }
        return all;
    }

    private static Set<String> allowed(ObservabilityFilesTest.Metric metric) {
        Set<String> allowed = new java.util.HashSet<>(metric.labels());
        if (metric.type() == ObservabilityFilesTest.Type.HISTOGRAM) {
            allowed.add("le");
        }
        return allowed;
    }

    /** A record with no CloudEvents headers at all: it can never be applied, so it is dead-lettered. */
    private static void unreadableRecord(String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "MODEL/x", "not an event".getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
