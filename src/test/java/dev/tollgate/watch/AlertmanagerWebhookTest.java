package dev.tollgate.watch;

import static dev.tollgate.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager's webhook, accepted as Alertmanager sends it: the payloads under src/test/resources/alertmanager are in
 * its documented format (version 4), a firing notification and later the resolved one, with an alert about another
 * system beside ours.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AlertmanagerWebhookTest {

    private static final String MODEL = "gpt-4o-2024-08-06";

    @Test
    void aFiringAlertStartsAReevaluationAndItsResolutionBeforeTheSuitesEndsIt() throws IOException {
        String name = Submissions.uniqueName("alerted");
        String id = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");
        String fingerprint = fingerprint();

        String reevaluation = notify("firing.json", name, fingerprint).statusCode(200)
                .body("alerts", equalTo(2))
                .body("results[0].outcome", equalTo("REEVALUATION_STARTED"))
                .body("results[0].status", equalTo("firing"))
                .body("results[1].outcome", equalTo("IGNORED"))
                .body("results[1].ignored", org.hamcrest.Matchers.containsString("tollgate_kind"))
                .extract().path("results[0].reevaluationId");
        Watches.reevaluation(reevaluation).body("trigger", equalTo("DRIFT")).body("status", equalTo("RUNNING"))
                .body("reason", org.hamcrest.Matchers.containsString("answer_relevance = 0.61 is below the policy's minimum 0.7"));

        notify("resolved.json", name, fingerprint).statusCode(200)
                .body("results[0].outcome", equalTo("RESOLVED"))
                .body("results[0].reevaluationId", equalTo(reevaluation));

        Watches.reevaluation(reevaluation).body("status", equalTo("ENDED")).body("verdict", nullValue());
        PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.REEVALUATION_ENDED), Duration.ofSeconds(30));
        as("audrey").get("/api/v1/candidates/" + id).then().body("stage", equalTo("IN_PRODUCTION"))
                .body("watch.reevaluation", nullValue());
    }

    @Test
    void alertmanagerRepeatingAFiringAlertIsTheSameSignal() throws IOException {
        String name = Submissions.uniqueName("repeated");
        String id = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");
        String fingerprint = fingerprint();

        String first = notify("firing.json", name, fingerprint).statusCode(200).extract().path("results[0].signalId");
        notify("firing.json", name, fingerprint).statusCode(200)
                .body("results[0].signalId", equalTo(first))
                .body("results[0].outcome", equalTo("REEVALUATION_STARTED"));
        as("audrey").queryParam("candidateId", id).get("/api/v1/reevaluations").then()
                .body("items", hasSize(1)).body("items[0].signalCount", equalTo(1));
    }

    @Test
    void whenThePolicySaysContinueAResolvedAlertLeavesTheReevaluationRunning() throws IOException {
        String name = Submissions.uniqueName("continues");
        Watches.promptInProduction("watched-auto", name, "1", MODEL, "fp_a");
        String fingerprint = fingerprint();

        String reevaluation = notify("firing.json", name, fingerprint).statusCode(200)
                .body("results[0].outcome", equalTo("REEVALUATION_STARTED")).extract().path("results[0].reevaluationId");
        notify("resolved.json", name, fingerprint).statusCode(200).body("results[0].outcome", equalTo("RESOLVED"));

        Watches.reevaluation(reevaluation).body("status", equalTo("RUNNING"));
    }

    @Test
    void aResolvedAlertWhoseFiringNeverArrivedIsRecorded() throws IOException {
        String name = Submissions.uniqueName("late");
        Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");

        notify("resolved.json", name, fingerprint()).statusCode(200).body("results[0].outcome", equalTo("RESOLVED"))
                .body("results[0].detail", org.hamcrest.Matchers.containsString("never received it firing"));
    }

    @Test
    void somethingThatIsNotAnAlertmanagerPayloadIsRefused() {
        as("mona").contentType(ContentType.JSON).body("{\"version\": \"4\", \"status\": \"firing\"}")
                .post("/api/v1/signals/alertmanager").then().statusCode(400)
                .body("errors[0].field", equalTo("alerts"));
        as("mona").contentType(ContentType.JSON).body("{\"version\": \"3\", \"alerts\": []}")
                .post("/api/v1/signals/alertmanager").then().statusCode(400)
                .body("errors[0].field", equalTo("version"));
        as("bob").contentType(ContentType.JSON).body("{\"alerts\": []}").post("/api/v1/signals/alertmanager").then()
                .statusCode(403);
    }

    /** The fixture as Alertmanager sends it, about this test's own name, with an alert fingerprint of its own. */
    private static ValidatableResponse notify(String fixture, String name, String fingerprint) throws IOException {
        String payload;
        try (InputStream in = AlertmanagerWebhookTest.class.getResourceAsStream("/alertmanager/" + fixture)) {
            payload = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        payload = payload.replace("\"NAME\"", "\"" + name + "\"").replace("of NAME", "of " + name)
                .replace("3bd1a2c4e5f60718", fingerprint);
        return as("mona").contentType(ContentType.JSON).body(payload).post("/api/v1/signals/alertmanager").then();
    }

    private static String fingerprint() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
