package dev.tollgate.pipeline;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.stageOf;
import static dev.tollgate.testing.Api.submitted;
import static dev.tollgate.testing.Api.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pipeline with {@code skipStaging} (the shipped {@code bench} one): gates, one approval, production. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class SkipStagingTest {

    private static String bench(String name, double auc) {
        return Submissions.model("bench", name, "1.0.0", Submissions.DIGEST_A, auc, 41.0, true, false);
    }

    @Test
    void candidateGoesFromTheGatesStraightToApprovalAndThenToProduction() {
        String id = submitted("alice", bench(Submissions.uniqueName("no-staging"), 0.93));
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");

        decide("bob", taskOf(id), "APPROVE", "no staging to prove anything in").statusCode(200);
        assertThat(stageOf(id)).isEqualTo("DEPLOYING_PRODUCTION");
        Promotions.deployment(id, "production", "SUCCEEDED").statusCode(200);
        assertThat(stageOf(id)).isEqualTo("IN_PRODUCTION");

        List<String> stages = as("audrey").get("/api/v1/candidates/" + id + "/history").then().statusCode(200)
                .extract().path("to");
        assertThat(stages.stream().distinct()).containsExactly("SUBMITTED", "EVALUATING", "RISK_REVIEW",
                "AWAITING_APPROVAL", "DEPLOYING_PRODUCTION", "IN_PRODUCTION");
        List<PromotionEvents.Received> events = PromotionEvents.awaitFor(id,
                PromotionEvents.containsType(EventTypes.PROMOTED), Duration.ofSeconds(20));
        assertThat(events).filteredOn(e -> e.type().equals(EventTypes.DEPLOYING))
                .extracting(PromotionEvents.Received::data)
                .singleElement().asString().contains("\"production\"");
        as("mona").get("/api/v1/releases/MODEL/" + as("audrey").get("/api/v1/candidates/" + id).path("name"))
                .then().body("production.candidateId", equalTo(id));
    }

    @Test
    void stagingResultForACandidateThatSkipsStagingIsRefusedAndChangesNothing() {
        String id = submitted("alice", bench(Submissions.uniqueName("no-staging-result"), 0.93));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(409);
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void thresholdGateStillFailsACandidateBelowItsBound() {
        String id = submitted("alice", bench(Submissions.uniqueName("no-staging-low"), 0.70));
        assertThat(stageOf(id)).isEqualTo("FAILED");
    }

    @Test
    void policyThatSkipsStagingNeedsNoStagingTimeout() {
        String policy = """
                name: express
                process: promotion
                approvals:
                  LOW: {required: 1, groups: [approver]}
                  MEDIUM: {required: 1, groups: [approver]}
                  HIGH: {required: 1, groups: [approver]}
                skipStaging: true
                timeouts: {evaluation: PT1H, approval: PT1H, production: PT1H}
                """;
        assertThat(PipelinePolicies.load("express", policy).policy().skipStaging()).isTrue();
        String staged = policy.replace("skipStaging: true\n", "");
        assertThatThrownBy(() -> PipelinePolicies.load("express", staged))
                .hasMessageContaining("timeouts.staging is required");
    }
}
