package dev.tollgate.pipeline;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.stageOf;
import static dev.tollgate.testing.Api.submitted;
import static dev.tollgate.testing.Api.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a promotion can end other than in production: gates, deployments and timeouts. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class WorkflowPathsTest {

    private static final Duration TIMER_WAIT = Duration.ofSeconds(20);

    private static String hasty(String prefix) {
        return Submissions.model("hasty", Submissions.uniqueName(prefix), "1.0.0", Submissions.DIGEST_A, 0.93, 41.0,
                false, false);
    }

    private static void awaitStage(String id, String stage) {
        await().atMost(TIMER_WAIT).untilAsserted(() -> assertThat(stageOf(id)).isEqualTo(stage));
    }

    private static String lastReason(String id) {
        List<String> reasons = as("audrey").get("/api/v1/candidates/" + id + "/history").then().extract().path("reason");
        return reasons.get(reasons.size() - 1);
    }

    @Test
    void suiteThatReportsAFailureFailsTheEvaluation() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("suite-fails"), "1.0.0"));
        as("eve").contentType(ContentType.JSON)
                .body("{\"suite\": \"offline-eval\", \"passed\": false, \"reportUri\": \"s3://reports/x.html\"}")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);

        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("stage", equalTo("FAILED"))
                .body("evaluation.gates.find { it.gate == 'SUITE' }.passed", equalTo(false))
                .body("evaluation.reports[0].suite", equalTo("offline-eval"));
    }

    @Test
    void reportedMetricsOverrideSubmittedOnesAtTheThresholdGate() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("reported-low"), "1.0.0"));
        Promotions.report(id, "offline-eval", 0.79).statusCode(201);

        assertThat(stageOf(id)).isEqualTo("FAILED");
        assertThat(lastReason(id)).contains("auc 0.79 < 0.8");
    }

    @Test
    void regressionAgainstProductionBeyondToleranceFails() {
        String name = Submissions.uniqueName("regress");
        Promotions.toProduction(Submissions.model(name, "1.0.0", Submissions.DIGEST_A, 0.93, 41.0));
        String worse = submitted("alice", Submissions.model(name, "1.1.0", Submissions.DIGEST_B, 0.95, 41.0));
        Promotions.report(worse, "offline-eval", 0.90).statusCode(201);

        as("audrey").get("/api/v1/candidates/" + worse).then()
                .body("stage", equalTo("FAILED"))
                .body("evaluation.gates.find { it.gate == 'REGRESSION' && it.metric == 'auc' }.baseline", equalTo(0.93f))
                .body("evaluation.gates.find { it.gate == 'REGRESSION' && it.metric == 'auc' }.value", equalTo(0.90f))
                .body("evaluation.gates.find { it.gate == 'REGRESSION' && it.metric == 'auc' }.passed", equalTo(false));
    }

    @Test
    void evaluationReportIsRefusedOnceTheCandidateIsApproved() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("late-report"), "1.0.0"));
        decide("bob", taskOf(id), "APPROVE", "fine").statusCode(200);
        Promotions.report(id, "offline-eval", 0.99).statusCode(409)
                .body("type", equalTo("https://tollgate.dev/problems/wrong-stage"));
        as("alice").contentType(ContentType.JSON).body("{\"suite\": \"offline-eval\"}")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(403);
    }

    @Test
    void failedStagingDeploymentFailsThePromotion() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("staging-fails"), "1.0.0"));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        Promotions.deployment(id, "staging", "FAILED").statusCode(200);

        assertThat(stageOf(id)).isEqualTo("FAILED");
        assertThat(lastReason(id)).isEqualTo("staging deployment failed: rollout failed");
        PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.FAILED), TIMER_WAIT);
    }

    @Test
    void failedProductionDeploymentFailsThePromotionAndKeepsTheServingVersion() {
        String name = Submissions.uniqueName("prod-fails");
        String serving = Promotions.toProduction(Submissions.model(name, "1.0.0"));
        String id = Promotions.throughStaging("alice", Submissions.model(name, "1.1.0", Submissions.DIGEST_B, 0.93, 41.0));
        decide("bob", taskOf(id), "APPROVE", "ok").statusCode(200);
        Promotions.deployment(id, "production", "FAILED").statusCode(200);

        assertThat(stageOf(id)).isEqualTo("FAILED");
        assertThat(stageOf(serving)).isEqualTo("IN_PRODUCTION");
        as("mona").get("/api/v1/releases/MODEL/" + name).then().body("production.candidateId", equalTo(serving));
    }

    @Test
    void staleDeploymentResultIsRecordedAndChangesNothing() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("stale"), "1.0.0"));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(409)
                .body("type", equalTo("https://tollgate.dev/problems/stale-deployment-result"))
                .body("stage", equalTo("EVALUATING"));
        assertThat(stageOf(id)).isEqualTo("EVALUATING");
    }

    @Test
    void evaluationTimeoutFailsTheCandidate() {
        String id = submitted("alice", hasty("eval-timeout"));
        awaitStage(id, "FAILED");
        assertThat(lastReason(id)).startsWith("timeout: evaluation suites offline-eval did not report within PT2S");
    }

    @Test
    void stagingTimeoutFailsTheCandidate() {
        String id = submitted("alice", hasty("staging-timeout"));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        assertThat(stageOf(id)).isEqualTo("DEPLOYING_STAGING");
        awaitStage(id, "FAILED");
        assertThat(lastReason(id)).isEqualTo("timeout: no staging deployment result within PT2S");
    }

    @Test
    void approvalTimeoutRejectsAfterAReminder() {
        String id = submitted("alice", hasty("approval-timeout"));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");

        awaitStage(id, "REJECTED");
        assertThat(lastReason(id)).startsWith("timeout: 0 of 1 approvals");
        List<String> types = as("audrey").get("/api/v1/candidates/" + id + "/history").then().extract().path("type");
        assertThat(types).containsSubsequence(EventTypes.APPROVAL_REQUESTED, EventTypes.APPROVAL_REMINDER,
                EventTypes.REJECTED);
        as("audrey").get("/api/v1/candidates/" + id).then().body("approvals.status", equalTo("EXPIRED"));
        decide("bob", taskOf(id), "APPROVE", "too late").statusCode(409);
    }

    @Test
    void productionTimeoutFailsTheCandidate() {
        String id = submitted("alice", hasty("production-timeout"));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);
        decide("bob", taskOf(id), "APPROVE", "ok").statusCode(200);
        assertThat(stageOf(id)).isEqualTo("DEPLOYING_PRODUCTION");

        awaitStage(id, "FAILED");
        assertThat(lastReason(id)).isEqualTo("timeout: no production deployment result within PT2S");
    }

    @Test
    void pipelinesAreListedWithTheirDigest() {
        as("mona").get("/api/v1/pipelines").then().statusCode(200)
                .body("name", hasItem("standard"))
                .body("name", hasItem("prompt"))
                .body("find { it.name == 'standard' }.digest", containsString("sha256:"))
                .body("find { it.name == 'standard' }.policy.evaluation.suites", equalTo(List.of("offline-eval")));
        as("mona").get("/api/v1/pipelines/standard").then().statusCode(200)
                .body("policy.approvals.HIGH.distinctGroups", equalTo(true));
        as("mona").get("/api/v1/pipelines/nope").then().statusCode(404);
    }
}
