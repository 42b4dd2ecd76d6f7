package dev.tollgate.examples;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.shared.Sha256;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * examples/alertmanager: the Prometheus rules label their alerts as Tollgate reads them, the Alertmanager receiver
 * posts them with their resolution to Tollgate's webhook, and the notification Alertmanager sends for a rule's alert
 * does what the README says.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AlertmanagerExampleTest {

    private static final Path EXAMPLE = Path.of(System.getProperty("tollgate.project.dir",
            System.getProperty("user.dir")), "examples", "alertmanager");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRuleNamesWhatTollgateGatesAndCarriesItsValue() {
        List<JsonNode> rules = rules();

        assertThat(rules).extracting(r -> r.path("labels").path("tollgate_kind").asText())
                .containsExactlyInAnyOrder("MODEL", "PROMPT");
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            JsonNode labels = rule.path("labels");
            assertThat(labels.path("tollgate_name").asText()).as(alert).matches("[a-z0-9][a-z0-9._-]{0,62}");
            assertThat(labels.path("tollgate_metric").asText()).as(alert).matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
            assertThat(labels.path("tollgate_threshold").asText()).as(alert).matches("[0-9.]+");
            assertThat(rule.path("annotations").path("value").asText()).as(alert).isEqualTo("{{ $value }}");
            assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
        }
    }

    @Test
    void theReceiverPostsFiringAndResolvedAlertsAboutModelsAndPromptsToTollgatesWebhook() {
        JsonNode route = tollgateRoute();
        JsonNode webhook = webhookOf(route.path("receiver").asText());

        assertThat(route.path("continue").asBoolean()).as("people still hear of the alerts").isTrue();
        assertThat(URI.create(webhook.path("url").asText()).getPath()).isEqualTo("/api/v1/signals/alertmanager");
        assertThat(webhook.path("send_resolved").asBoolean()).isTrue();
        assertThat(webhook.at("/http_config/authorization/type").asText()).isEqualTo("Bearer");
        assertThat(webhook.at("/http_config/authorization/credentials_file").asText()).isNotBlank();
    }

    @Test
    void theExampleNotificationIsWhatAlertmanagerSendsWhenTheDriftRuleFires() throws IOException {
        JsonNode example = JSON.readTree(EXAMPLE.resolve("firing-alert.example.json").toFile());
        JsonNode rule = ruleAbout("MODEL");
        JsonNode alert = example.path("alerts").path(0);

        assertThat(example.path("version").asText()).isEqualTo("4");
        assertThat(example.path("receiver").asText()).isEqualTo(tollgateRoute().path("receiver").asText());
        assertThat(alert.path("labels").path("alertname").asText()).isEqualTo(rule.path("alert").asText());
        rule.path("labels").fields().forEachRemaining(l -> assertThat(alert.path("labels").path(l.getKey()).asText())
                .as(l.getKey()).isEqualTo(l.getValue().asText()));
        assertThat(Double.parseDouble(alert.path("annotations").path("value").asText()))
                .isGreaterThan(Double.parseDouble(rule.path("labels").path("tollgate_threshold").asText()));
        notify(example.toString()).statusCode(200).body("alerts", equalTo(1))
                .body("results[0].outcome", not(equalTo("IGNORED")));
    }

    @Test
    void aFiringDriftAlertInsideTheVerificationWindowFailsTheRelease() {
        String name = Submissions.uniqueName("drifting");
        Watches.modelInProduction("verified", name, "1.0.0");
        Alert alert = new Alert(ruleAbout("MODEL"), name);

        String reevaluation = notify(alert.firing(2 * alert.threshold())).statusCode(200)
                .body("alerts", equalTo(1))
                .body("results[0].fingerprint", equalTo(alert.fingerprint()))
                .body("results[0].outcome", equalTo("VERIFICATION_FAILED"))
                .body("results[0].signalId", startsWith("alertmanager:" + alert.fingerprint()))
                .body("results[0].detail", containsString("above the monitor's threshold " + alert.threshold()))
                .body("results[0].reevaluationId", notNullValue())
                .extract().path("results[0].reevaluationId");
        Watches.reevaluation(reevaluation).body("trigger", equalTo("VERIFICATION"));
    }

    @Test
    void aResolvedErrorRateAlertEndsTheReevaluationItsFiringStarted() {
        String name = Submissions.uniqueName("erring");
        Watches.promptInProduction("watched", name, "1", "gpt-4o-2024-08-06", "fp_a");
        Alert alert = new Alert(ruleAbout("PROMPT"), name);
        String reevaluation = notify(alert.firing(2 * alert.threshold())).statusCode(200)
                .body("results[0].outcome", equalTo("REEVALUATION_STARTED"))
                .extract().path("results[0].reevaluationId");

        notify(alert.resolved()).statusCode(200)
                .body("results[0].status", equalTo("resolved"))
                .body("results[0].outcome", equalTo("RESOLVED"))
                .body("results[0].reevaluationId", equalTo(reevaluation))
                .body("results[0].detail", containsString("the re-evaluation it started ended"));
        Watches.reevaluation(reevaluation).body("status", equalTo("ENDED"));
    }

    /**
     * The alert Prometheus raises from {@code rule} for the model or prompt {@code name} (its tollgate_name label),
     * and the webhook notifications Alertmanager sends about it to the receiver of alertmanager.yml.
     */
    private record Alert(JsonNode rule, String name, Map<String, String> labels, String fingerprint, Instant startsAt) {

        Alert(JsonNode rule, String name) {
            this(rule, name, labelsOf(rule, name), null, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }

        Alert {
            fingerprint = Sha256.hex(labels.toString()).substring(0, 16);
        }

        double threshold() {
            return Double.parseDouble(labels.get("tollgate_threshold"));
        }

        String firing(double value) {
            return notification("firing", value, "0001-01-01T00:00:00Z");
        }

        /** Alertmanager sends the last value it knew with the resolution. */
        String resolved() {
            return notification("resolved", threshold() / 2, Instant.now().toString());
        }

        private String notification(String status, double value, String endsAt) {
            Map<String, String> annotations = new TreeMap<>();
            rule.path("annotations").fields().forEachRemaining(a ->
                    annotations.put(a.getKey(), a.getValue().asText().replace("{{ $value }}", String.valueOf(value))));
            ObjectNode alert = JSON.createObjectNode().put("status", status);
            alert.set("labels", JSON.valueToTree(labels));
            alert.set("annotations", JSON.valueToTree(annotations));
            alert.put("startsAt", startsAt.toString()).put("endsAt", endsAt)
                    .put("generatorURL", "http://prometheus:9090/graph?g0.expr=" + labels.get("alertname"))
                    .put("fingerprint", fingerprint);
            String receiver = tollgateRoute().path("receiver").asText();
            ObjectNode payload = JSON.createObjectNode().put("version", "4")
                    .put("groupKey", "{}/{tollgate_name=~\".+\"}:{alertname=\"" + labels.get("alertname") + "\"}")
                    .put("truncatedAlerts", 0).put("status", status).put("receiver", receiver);
            payload.set("groupLabels", JSON.createObjectNode().put("alertname", labels.get("alertname")));
            payload.set("commonLabels", JSON.valueToTree(labels));
            payload.set("commonAnnotations", JSON.valueToTree(annotations));
            payload.put("externalURL", "http://alertmanager:9093");
            payload.putArray("alerts").add(alert);
            return payload.toString();
        }

        /** The rule's labels with its alert's name, about this test's own model or prompt. */
        private static Map<String, String> labelsOf(JsonNode rule, String name) {
            Map<String, String> labels = new TreeMap<>();
            rule.path("labels").fields().forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
            labels.put("alertname", rule.path("alert").asText());
            labels.put("tollgate_name", name);
            return labels;
        }
    }

    /** mona (monitor) stands in for Alertmanager. */
    private static ValidatableResponse notify(String notification) {
        return as("mona").contentType(ContentType.JSON).body(notification).post("/api/v1/signals/alertmanager").then();
    }

    private static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        read("prometheus-rules.yml").path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    private static JsonNode ruleAbout(String kind) {
        return rules().stream().filter(r -> r.path("labels").path("tollgate_kind").asText().equals(kind))
                .findFirst().orElseThrow();
    }

    /** The route that takes the alerts naming a model or prompt. */
    private static JsonNode tollgateRoute() {
        return StreamSupport.stream(read("alertmanager.yml").path("route").path("routes").spliterator(), false)
                .filter(r -> StreamSupport.stream(r.path("matchers").spliterator(), false)
                        .anyMatch(m -> m.asText().replace(" ", "").equals("tollgate_name=~\".+\"")))
                .findFirst().orElseThrow(() -> new AssertionError("no route matches tollgate_name"));
    }

    private static JsonNode webhookOf(String receiver) {
        return StreamSupport.stream(read("alertmanager.yml").path("receivers").spliterator(), false)
                .filter(r -> r.path("name").asText().equals(receiver))
                .findFirst().orElseThrow(() -> new AssertionError("no receiver " + receiver))
                .path("webhook_configs").path(0);
    }

    private static JsonNode read(String file) {
        try {
            return YAML.readTree(EXAMPLE.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
