package dev.tollgate.approval;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Approvals that stay valid (docs/governance.md): a vote is for the evidence it saw. An evaluation report that
 * arrives after votes were cast sets them aside, and the same quorum is asked again on a new task.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class LateEvidenceTest {

    @Test
    void aLateEvaluationReportResetsTheVotesAlreadyCast() {
        // Customer-facing with personal data: HIGH, two approvals from distinct groups.
        String id = Promotions.throughStaging("alice", Submissions.model("standard", Submissions.uniqueName("late"),
                "1.0.0", Submissions.DIGEST_A, 0.93, 41.0, true, true));
        String first = Api.taskOf(id);
        Api.decide("bob", first, "APPROVE", "looks fine").statusCode(200);

        as("eve").contentType(ContentType.JSON).body("""
                        {"suite": "fairness", "metrics": {"demographic_parity_gap": 0.09}, "passed": false}""")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);

        String second = Api.taskOf(id);
        assertThat(second).isNotEqualTo(first);
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("stage", equalTo("AWAITING_APPROVAL"))
                .body("approvals.granted", empty())
                .body("evaluation.reports.suite", hasItem("fairness"));
        as("audrey").get("/api/v1/candidates/" + id + "/history").then()
                .body("reason", hasItem("Votes of bob set aside: suite fairness reported after they were cast; "
                        + "approvers are asked again"));
        PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.APPROVAL_RESET), Duration.ofSeconds(30));

        Api.decide("rita", first, "APPROVE", "on the old evidence").statusCode(409);
        Api.decide("bob", second, "APPROVE", "fairness gap understood").statusCode(200);
        Api.decide("rita", second, "APPROVE", "accepted").statusCode(200);
        assertThat(Api.stageOf(id)).isEqualTo("DEPLOYING_PRODUCTION");
    }

    @Test
    void noReportIsTakenOnceTheCandidateIsApproved() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("too-late"), "1.0.0"));
        Api.decide("bob", Api.taskOf(id), "APPROVE", "fine").statusCode(200);

        as("eve").contentType(ContentType.JSON).body("{\"suite\": \"fairness\", \"metrics\": {\"gap\": 0.01}}")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(409)
                .body("type", equalTo("https://tollgate.dev/problems/wrong-stage"));
    }
}
