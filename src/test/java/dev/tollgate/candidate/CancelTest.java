package dev.tollgate.candidate;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.stageOf;
import static dev.tollgate.testing.Api.submitted;
import static dev.tollgate.testing.Api.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class CancelTest {

    @Inject
    EntityManager em;

    private static ValidatableResponse cancel(String user, String id) {
        return as(user).contentType(ContentType.JSON).body("{\"reason\": \"superseded by a hotfix\"}")
                .post("/api/v1/candidates/" + id + "/cancel").then();
    }

    private long pendingTimers(String id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select count(*) from scheduled_timer where candidate_id = :id and fired_at is null and cancelled_at is null")
                .setParameter("id", UUID.fromString(id)).getSingleResult()).longValue());
    }

    @Test
    void submitterCancelsDuringEvaluationAndItsTimerIsCancelled() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("cancel-eval"), "1.0.0"));
        assertThat(pendingTimers(id)).isEqualTo(1);

        cancel("alice", id).statusCode(200).body("stage", equalTo("CANCELLED")).body("status", equalTo("CANCELLED"));
        assertThat(pendingTimers(id)).isZero();
        Promotions.report(id, "offline-eval", 0.93).statusCode(409);
    }

    @Test
    void submitterCancelsDuringStaging() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("cancel-staging"), "1.0.0"));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);

        cancel("alice", id).statusCode(200).body("stage", equalTo("CANCELLED"));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(409);
        assertThat(pendingTimers(id)).isZero();
    }

    @Test
    void adminCancelsDuringApprovalAndTheTaskLeavesTheInbox() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("cancel-approval"), "1.0.0"));
        String task = taskOf(id);

        cancel("admin", id).statusCode(200).body("stage", equalTo("CANCELLED"))
                .body("approvals.status", equalTo("CANCELLED"));
        as("bob").get("/api/v1/approvals?limit=200").then().body("items.taskId", not(hasItem(task)));
        decide("bob", task, "APPROVE", "late").statusCode(409);
        assertThat(pendingTimers(id)).isZero();
        as("audrey").get("/api/v1/candidates/" + id + "/history").then()
                .body("[-1].type", equalTo("dev.tollgate.promotion.cancelled"))
                .body("[-1].actor", equalTo("admin"))
                .body("[-1].reason", equalTo("superseded by a hotfix"));
    }

    @Test
    void onceProductionDeploymentIsRequestedCancelIsRefusedAndNamesTheRollback() {
        String name = Submissions.uniqueName("cancel-prod");
        String id = Promotions.throughStaging("alice", Submissions.model(name, "1.0.0"));
        decide("bob", taskOf(id), "APPROVE", "ok").statusCode(200);

        cancel("alice", id).statusCode(409).body("type", equalTo("https://tollgate.dev/problems/wrong-stage"))
                .body("detail", org.hamcrest.Matchers.containsString("/api/v1/releases/MODEL/" + name + "/rollback"));
        // The deployer's result that then arrives is the truth the release record shows.
        Promotions.deployment(id, "production", "SUCCEEDED").statusCode(200);
        assertThat(stageOf(id)).isEqualTo("IN_PRODUCTION");
        as("audrey").get("/api/v1/releases/MODEL/" + name).then().body("production.candidateId", equalTo(id));
    }

    @Test
    void aCrossSiteFormPostCannotCancelWithTheBrowsersSessionCookie() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("cancel-csrf"), "1.0.0"));
        dev.tollgate.testing.UiSession alice = dev.tollgate.testing.UiSession.signIn("alice");
        alice.request().contentType("application/x-www-form-urlencoded").formParam("reason", "gone")
                .post("/api/v1/candidates/" + id + "/cancel").then().statusCode(415);
        alice.request().contentType("text/plain").body("reason=gone")
                .post("/api/v1/candidates/" + id + "/cancel").then().statusCode(415);
        alice.request().multiPart("reason", "gone").post("/api/v1/candidates/" + id + "/cancel").then().statusCode(415);
        assertThat(stageOf(id)).isEqualTo("EVALUATING");
    }

    @Test
    void onlyTheSubmitterOrAnAdminMayCancel() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("cancel-other"), "1.0.0"));
        cancel("eve", id).statusCode(403);
        cancel("bob", id).statusCode(403);
        assertThat(stageOf(id)).isEqualTo("EVALUATING");
    }

    @Test
    void endedOrServingCandidatesCannotBeCancelled() {
        String serving = Promotions.toProduction(Submissions.model(Submissions.uniqueName("cancel-serving"), "1.0.0"));
        cancel("alice", serving).statusCode(409).body("type", equalTo("https://tollgate.dev/problems/wrong-stage"));

        String failed = submitted("alice", Submissions.model(Submissions.uniqueName("cancel-failed"), "1.0.0"));
        Promotions.report(failed, "offline-eval", 0.1).statusCode(201);
        cancel("alice", failed).statusCode(409);
    }
}
