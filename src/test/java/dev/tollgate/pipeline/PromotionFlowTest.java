package dev.tollgate.pipeline;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.stageOf;
import static dev.tollgate.testing.Api.submitted;
import static dev.tollgate.testing.Api.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.PromotionEvents.Received;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class PromotionFlowTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);

    @Test
    void approvedCandidateReachesProductionAndEveryTransitionReachesKafkaInOrder() {
        String name = Submissions.uniqueName("fraud-scorer");
        String id = submitted("alice", Submissions.model(name, "1.4.0"));
        assertThat(stageOf(id)).isEqualTo("EVALUATING");
        Promotions.report(id, "offline-eval", 0.94).statusCode(201);
        assertThat(stageOf(id)).isEqualTo("DEPLOYING_STAGING");
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");

        decide("bob", taskOf(id), "APPROVE", "metrics look good").statusCode(200)
                .body("status", equalTo("APPROVED"));
        assertThat(stageOf(id)).isEqualTo("DEPLOYING_PRODUCTION");
        Promotions.deployment(id, "production", "SUCCEEDED").statusCode(200);
        assertThat(stageOf(id)).isEqualTo("IN_PRODUCTION");

        List<Received> events = PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.PROMOTED),
                KAFKA_WAIT);
        assertThat(events).extracting(Received::type).containsExactly(
                EventTypes.SUBMITTED, EventTypes.EVALUATION_STARTED, EventTypes.EVALUATION_PASSED,
                EventTypes.RISK_ASSESSED, EventTypes.DEPLOYING, EventTypes.DEPLOYED,
                EventTypes.APPROVAL_REQUESTED, EventTypes.APPROVAL_GRANTED, EventTypes.APPROVED,
                EventTypes.DEPLOYING, EventTypes.DEPLOYED, EventTypes.PROMOTED);
        assertThat(events).extracting(Received::sequence)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events).extracting(Received::key).containsOnly("MODEL/" + name);
        assertThat(events).extracting(Received::partition).containsOnly(events.get(0).partition());
        for (Received event : events) {
            assertThat(event.headers()).containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_source", "/tollgate")
                    .containsEntry("ce_subject", id)
                    .containsEntry("content-type", "application/json")
                    .containsKey("ce_id");
            assertThat(Instant.parse(event.headers().get("ce_time"))).isBeforeOrEqualTo(Instant.now());
        }
        assertThat(events).extracting(e -> e.headers().get("ce_id")).doesNotHaveDuplicates();
        Received promoted = events.get(events.size() - 1);
        assertThat(events.get(4).data()).contains("\"stage\":\"staging\"");
        assertThat(events.get(9).data()).contains("\"stage\":\"production\"");
        assertThat(promoted.data()).contains("\"candidateId\":\"" + id + "\"", "\"fromStage\":\"DEPLOYING_PRODUCTION\"",
                "\"toStage\":\"IN_PRODUCTION\"", "\"version\":\"1.4.0\"", "\"policyDigest\":\"sha256:");
    }

    @Test
    void historyListsEveryTransitionWithActorAndReason() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("history"), "1.0.0"));
        decide("carol", taskOf(id), "APPROVE", "ok").statusCode(200);
        Promotions.deployedToProduction(id);

        as("mona").get("/api/v1/candidates/" + id + "/history").then().statusCode(200)
                .body("seq", equalTo(IntStream.rangeClosed(1, 12).boxed().toList()))
                .body("to", equalTo(List.of("SUBMITTED", "EVALUATING", "RISK_REVIEW", "RISK_REVIEW",
                        "DEPLOYING_STAGING", "DEPLOYING_STAGING", "AWAITING_APPROVAL", "AWAITING_APPROVAL",
                        "AWAITING_APPROVAL", "DEPLOYING_PRODUCTION", "DEPLOYING_PRODUCTION", "IN_PRODUCTION")))
                .body("[0].actor", equalTo("alice"))
                .body("[0].from", equalTo(null))
                .body("[5].actor", equalTo("dave"))
                .body("[7].actor", equalTo("carol"))
                .body("[7].reason", equalTo("ok"));
    }

    @Test
    void rejectionEndsThePromotionAndCreditsTheRejecter() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("rejected"), "2.0.0"));

        decide("bob", taskOf(id), "REJECT", "drift on the holdout set").statusCode(200)
                .body("status", equalTo("REJECTED"));

        as("audrey").get("/api/v1/candidates/" + id).then().statusCode(200)
                .body("stage", equalTo("REJECTED"))
                .body("status", equalTo("REJECTED"))
                .body("approvals.rejectedBy", equalTo("bob"));
        List<Received> events = PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.REJECTED),
                KAFKA_WAIT);
        Received rejected = events.get(events.size() - 1);
        assertThat(rejected.type()).isEqualTo(EventTypes.REJECTED);
        assertThat(rejected.data()).contains("\"actor\":\"bob\"", "\"reason\":\"drift on the holdout set\"");
    }

    @Test
    void rejectingWithoutACommentIsRefused() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("no-comment"), "1.0.0"));

        decide("bob", taskOf(id), "REJECT", null).statusCode(400)
                .body("errors.field", hasItem("comment"));
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void submitterCannotApproveOwnCandidateWhateverTheirRoles() {
        String id = Promotions.throughStaging("sam", Submissions.model(Submissions.uniqueName("self"), "1.0.0"));
        String task = taskOf(id);

        as("sam").get("/api/v1/approvals?limit=200").then().statusCode(200)
                .body("items.taskId", not(hasItem(task)));
        decide("sam", task, "APPROVE", "looks fine to me").statusCode(403)
                .body("type", equalTo("https://tollgate.dev/problems/separation-of-duties"));
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void approverSeesOpenTaskInInboxUntilItIsDecided() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("inbox"), "1.0.0"));
        String task = taskOf(id);

        as("carol").get("/api/v1/approvals?limit=200").then().statusCode(200)
                .body("items.taskId", hasItem(task));
        decide("carol", task, "APPROVE", "fine").statusCode(200);
        as("carol").get("/api/v1/approvals?limit=200").then().statusCode(200)
                .body("items.taskId", not(hasItem(task)));
    }

    @Test
    void voteOnAClosedTaskGetsConflict() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("closed"), "1.0.0"));
        String task = taskOf(id);
        decide("bob", task, "APPROVE", "fine").statusCode(200);

        decide("carol", task, "APPROVE", "me too").statusCode(409)
                .body("type", equalTo("https://tollgate.dev/problems/task-closed"));
    }

    @Test
    void callerWithoutAnApproverRoleCannotDecide() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("deployer-vote"), "1.0.0"));

        decide("dave", taskOf(id), "APPROVE", "ship it").statusCode(403);
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void engineInternalPrincipalIsNeverAccepted() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("engine-user"), "1.0.0"));

        decide("WORKFLOW_ENGINE_USER", taskOf(id), "APPROVE", "bypass").statusCode(403);
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void metricBelowItsThresholdFailsTheCandidateWithTheGateInputs() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("weak"), "1.0.0",
                Submissions.DIGEST_A, 0.71, 41.0));
        Promotions.report(id, "offline-eval", 0.71).statusCode(201);

        as("audrey").get("/api/v1/candidates/" + id).then().statusCode(200)
                .body("stage", equalTo("FAILED"))
                .body("evaluation.gates.find { it.metric == 'auc' && it.gate == 'THRESHOLD' }.value", equalTo(0.71f))
                .body("evaluation.gates.find { it.metric == 'auc' && it.gate == 'THRESHOLD' }.bound", equalTo(0.8f))
                .body("evaluation.gates.find { it.metric == 'auc' && it.gate == 'THRESHOLD' }.passed", equalTo(false))
                .body("evaluation.gates.find { it.metric == 'latency_p95_ms' && it.gate == 'THRESHOLD' }.passed", equalTo(true))
                .body("approvals", equalTo(null));
        List<Received> events = PromotionEvents.awaitFor(id,
                PromotionEvents.containsType(EventTypes.EVALUATION_FAILED), KAFKA_WAIT);
        assertThat(events.get(events.size() - 1).data()).contains("\"toStage\":\"FAILED\"", "auc 0.71 < 0.8");
    }

    @Test
    void promotingANewVersionRetiresTheOneInProduction() {
        String name = Submissions.uniqueName("retire");
        String first = Promotions.toProduction(Submissions.model(name, "1.0.0"));
        String second = Promotions.toProduction(Submissions.model(name, "1.1.0"));

        assertThat(stageOf(first)).isEqualTo("RETIRED");
        assertThat(stageOf(second)).isEqualTo("IN_PRODUCTION");
        List<Received> events = PromotionEvents.awaitFor(second, PromotionEvents.containsType(EventTypes.PROMOTED),
                KAFKA_WAIT);
        assertThat(events.get(events.size() - 1).data()).contains("\"previousVersion\":\"1.0.0\"");
    }
}
