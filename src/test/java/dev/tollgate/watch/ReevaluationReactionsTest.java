package dev.tollgate.watch;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each reaction to a re-evaluation's verdict (docs/drift.md) leads to the right release state, events on Kafka and
 * audit entries: a pass accepted quietly, people keeping the version, people rolling it back, an automatic rollback.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ReevaluationReactionsTest {

    private static final String MODEL = "gpt-4o-2024-08-06";

    @Test
    void aPassingReevaluationIsAcceptedQuietlyAndPinsWhatTheProviderAnswersNow() {
        String name = Submissions.uniqueName("passes");
        String id = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");
        String reevaluation = startedByANewFingerprint(name, "fp_b");

        Watches.reportAgain(id, "golden-set", 0.87, true).statusCode(201);

        Watches.reevaluation(reevaluation).body("status", equalTo("PASSED")).body("verdict", equalTo("PASSED"))
                .body("reaction", equalTo("NONE"));
        as("audrey").get("/api/v1/candidates/" + id).then().body("stage", equalTo("IN_PRODUCTION"))
                .body("watch.pinned.fingerprint", equalTo("fp_b")).body("watch.pinned.from", equalTo("REEVALUATION"));
        assertThat(Watches.observe(name, MODEL, "fp_b").statusCode(201).extract().<String>path("outcome"))
                .as("the accepted snapshot is the one evaluated now").isEqualTo("NO_CHANGE");
        var passed = event(id, EventTypes.REEVALUATION_PASSED);
        assertThat(passed.data()).contains("\"reaction\":\"NONE\"").contains(reevaluation);
        awaitAudit(id, List.of("signal.received", "drift.detected", "reevaluation.started", "reevaluation.passed"));
    }

    @Test
    void peopleKeepAVersionWhoseReevaluationFailed() {
        String name = Submissions.uniqueName("kept");
        String id = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");
        String reevaluation = startedByANewFingerprint(name, "fp_b");

        Watches.reportAgain(id, "golden-set", 0.60, true).statusCode(201);

        String task = Watches.reevaluation(reevaluation).body("status", equalTo("AWAITING_DECISION"))
                .body("verdict", equalTo("FAILED")).body("reaction", equalTo("ASK")).extract().path("task.taskId");
        as("bob").get("/api/v1/approvals").then().body("items.reevaluationId", hasItem(reevaluation));
        Api.decide("alice", task, "KEEP", "mine").statusCode(403);
        Api.decide("bob", task, "APPROVE", "fine").statusCode(400);
        Api.decide("bob", task, "KEEP", "relevance dip is the new snapshot's phrasing; watched").statusCode(200);

        Watches.reevaluation(reevaluation).body("status", equalTo("KEPT")).body("decidedBy", equalTo("bob"));
        assertThat(stageOf(id)).isEqualTo("IN_PRODUCTION");
        as("audrey").get("/api/v1/releases/PROMPT/" + name).then().body("production.candidateId", equalTo(id));
        assertThat(event(id, EventTypes.REEVALUATION_DECIDED).data()).contains("\"decision\":\"KEEP\"");
        event(id, EventTypes.REEVALUATION_FAILED);
        awaitAudit(id, List.of("reevaluation.failed", "approval.requested", "approval.granted", "reevaluation.decided"));
    }

    @Test
    void peopleRollBackAVersionWhoseReevaluationFailed() {
        String name = Submissions.uniqueName("rolled");
        String first = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");
        String second = Watches.promptInProduction("watched", name, "2", MODEL, "fp_a");
        String reevaluation = startedByANewFingerprint(name, "fp_b");
        Watches.reportAgain(second, "golden-set", 0.60, true).statusCode(201);
        String task = Watches.reevaluation(reevaluation).extract().path("task.taskId");

        Api.decide("bob", task, "ROLL_BACK", null).statusCode(400);
        Api.decide("bob", task, "ROLL_BACK", "answers got worse with the new snapshot").statusCode(200);

        Watches.reevaluation(reevaluation).body("status", equalTo("ROLLED_BACK"))
                .body("rollbackTo.version", equalTo("1"));
        assertThat(stageOf(first)).isEqualTo("DEPLOYING_PRODUCTION");
        Promotions.deployedToProduction(first);
        assertThat(stageOf(first)).isEqualTo("IN_PRODUCTION");
        assertThat(stageOf(second)).isEqualTo("ROLLED_BACK");
        as("audrey").get("/api/v1/releases/PROMPT/" + name).then().body("production.version", equalTo("1"));
        assertThat(event(second, EventTypes.REEVALUATION_DECIDED).data()).contains("\"decision\":\"ROLL_BACK\"");
        event(second, EventTypes.ROLLEDBACK);
        assertThat(event(first, EventTypes.DEPLOYING).data()).contains("\"rollback\":true");
        awaitAudit(second, List.of("reevaluation.decided", "rolledback"));
    }

    @Test
    void aFailedReevaluationRollsBackByItselfWhenThePolicySaysSo() {
        String name = Submissions.uniqueName("auto");
        String first = Watches.promptInProduction("watched-auto", name, "1", MODEL, "fp_a");
        String second = Watches.promptInProduction("watched-auto", name, "2", MODEL, "fp_a");
        String reevaluation = startedByANewFingerprint(name, "fp_b");

        Watches.reportAgain(second, "golden-set", 0.86, false).statusCode(201);

        Watches.reevaluation(reevaluation).body("status", equalTo("ROLLED_BACK")).body("reaction", equalTo("ROLL_BACK"))
                .body("rollbackTo.version", equalTo("1"));
        assertThat(stageOf(first)).isEqualTo("DEPLOYING_PRODUCTION");
        Promotions.deployedToProduction(first);
        assertThat(stageOf(second)).isEqualTo("ROLLED_BACK");
        assertThat(event(second, EventTypes.REEVALUATION_FAILED).data()).contains("\"reaction\":\"ROLL_BACK\"")
                .contains("\"rollbackTo\":\"1\"");
        awaitAudit(second, List.of("reevaluation.failed", "rolledback"));
    }

    @Test
    void aFailedReevaluationAsksPeopleWhenThereIsNothingToRollBackTo() {
        String name = Submissions.uniqueName("alone");
        String only = Watches.promptInProduction("watched-auto", name, "1", MODEL, "fp_a");
        String reevaluation = startedByANewFingerprint(name, "fp_b");

        Watches.reportAgain(only, "golden-set", 0.86, false).statusCode(201);

        Watches.reevaluation(reevaluation).body("status", equalTo("AWAITING_DECISION")).body("reaction", equalTo("ASK"));
        assertThat(stageOf(only)).isEqualTo("IN_PRODUCTION");
    }

    private static String startedByANewFingerprint(String name, String fingerprint) {
        return Watches.observe(name, MODEL, fingerprint).statusCode(201)
                .body("outcome", equalTo("REEVALUATION_STARTED")).extract().path("reevaluationId");
    }

    private static PromotionEvents.Received event(String candidateId, String type) {
        return PromotionEvents.awaitFor(candidateId, PromotionEvents.containsType(type), Duration.ofSeconds(30)).stream()
                .filter(e -> e.type().equals(type)).reduce((a, b) -> b).orElseThrow();
    }

    private static void awaitAudit(String candidateId, List<String> actions) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(as("audrey")
                .queryParam("subject", candidateId).queryParam("limit", "1000").get("/api/v1/audit").then()
                .statusCode(200).extract().<List<String>>path("items.action")).containsAll(actions));
    }
}
