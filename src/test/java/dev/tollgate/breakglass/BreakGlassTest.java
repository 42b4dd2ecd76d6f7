package dev.tollgate.breakglass;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Break-glass (docs/governance.md): in an emergency a role the pipeline names promotes past the approval quorum and a
 * freeze, with a reason; someone else must review it by a deadline, and it is escalated when nobody does.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class BreakGlassTest {

    private static ValidatableResponse breakGlass(String user, String candidateId, String reason) {
        return as(user).contentType(ContentType.JSON).body(reason == null ? "{}" : "{\"reason\": \"" + reason + "\"}")
                .post("/api/v1/candidates/" + candidateId + "/break-glass").then();
    }

    private static ValidatableResponse review(String user, String id, String outcome) {
        return as(user).contentType(ContentType.JSON)
                .body("{\"outcome\": \"" + outcome + "\", \"comment\": \"the outage needed the fix\"}")
                .post("/api/v1/break-glass/" + id + "/review").then();
    }

    @Test
    void breakingTheGlassGoesPastTheQuorumAndTheStoppedLineAndSomeoneElseReviewsIt() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("urgent"), "1.0.0"));
        as("admin").contentType(ContentType.JSON).body("{\"reason\": \"INC-5150\"}").post("/api/v1/line/stop").then()
                .statusCode(200);
        String breakGlass;
        try {
            breakGlass = breakGlass("rita", id, "hotfix for INC-5150: the old model leaks card numbers").statusCode(200)
                    .body("bypassed", equalTo(List.of("QUORUM", "FREEZE")))
                    .body("reviewDueAt", notNullValue())
                    .extract().path("id");

            assertThat(stageOf(id)).as("past the open task and the stopped line").isEqualTo("DEPLOYING_PRODUCTION");
        } finally {
            as("admin").contentType(ContentType.JSON).body("{\"reason\": \"INC-5150 over\"}").post("/api/v1/line/restart")
                    .then().statusCode(200);
        }
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("breakGlass.actor", equalTo("rita"))
                .body("breakGlass.reason", equalTo("hotfix for INC-5150: the old model leaks card numbers"));
        PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.BREAK_GLASS), Duration.ofSeconds(30));
        as("audrey").queryParam("type", "break-glass").queryParam("limit", 1000).get("/api/v1/audit").then()
                .body("items.actor", hasItem("rita"));
        as("mona").queryParam("open", true).get("/api/v1/break-glass").then().statusCode(200)
                .body("id", hasItem(breakGlass));

        review("rita", breakGlass, "ACCEPTED").statusCode(403)
                .body("type", equalTo("https://tollgate.dev/problems/separation-of-duties"));
        review("admin", breakGlass, "SO-SO").statusCode(400);
        review("admin", breakGlass, "ACCEPTED").statusCode(200).body("reviewedBy", equalTo("admin"));
        review("admin", breakGlass, "CONCERNS").statusCode(409);
        Promotions.deployedToProduction(id);
        assertThat(stageOf(id)).isEqualTo("IN_PRODUCTION");
    }

    @Test
    void aBreakGlassNobodyReviewsByItsDeadlineIsEscalated() {
        String id = Api.submitted("alice", Submissions.model("emergency", Submissions.uniqueName("unreviewed"), "1.0.0",
                Submissions.DIGEST_A, 0.93, 41.0, true, false));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);
        breakGlass("rita", id, "customers cannot pay").statusCode(200);

        PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.BREAK_GLASS_ESCALATED), Duration.ofSeconds(30));
        as("audrey").get("/api/v1/candidates/" + id).then().body("breakGlass.escalatedAt", notNullValue());
        as("audrey").get("/api/v1/candidates/" + id + "/history").then()
                .body("reason", hasItem(org.hamcrest.Matchers.startsWith("Break-glass by rita not reviewed by ")));
    }

    @Test
    void onlyTheRolesThePipelineNamesBreakTheGlassAndOnlyWithAReason() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("not-urgent"), "1.0.0"));
        breakGlass("bob", id, "I want it now").statusCode(403);
        breakGlass("rita", id, null).statusCode(400);
        String trusting = Api.submitted("alice", Submissions.model("trusting", Submissions.uniqueName("no-glass"), "1.0.0",
                Submissions.DIGEST_A, 0.93, 41.0, false, false));
        Promotions.deployment(trusting, "staging", "SUCCEEDED").statusCode(200);
        breakGlass("rita", trusting, "no such thing here").statusCode(403);
        assertThat(Api.taskOf(id)).isNotNull();
        assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");
    }
}
