package dev.tollgate.freeze;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

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
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Freeze windows and the stop-the-line switch (docs/governance.md) hold approved candidates before their production
 * deployment is requested, show why, and let them go when the window ends or the line restarts: the newest held
 * version of a name first, the older ones superseded.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class FreezeWindowsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ValidatableResponse window(String user, String body) {
        return as(user).contentType(ContentType.JSON).body(body).post("/api/v1/freezes").then();
    }

    private static ValidatableResponse line(String user, String action, String reason) {
        return as(user).contentType(ContentType.JSON).body("{\"reason\": \"" + reason + "\"}")
                .post("/api/v1/line/" + action).then();
    }

    /** Through evaluation, staging and bob's approval: the step after is the production deployment request. */
    private static String approved(String name, String version, String digest) {
        String id = Promotions.throughStaging("alice", Submissions.model(name, version, digest, 0.93, 41.0));
        Api.decide("bob", Api.taskOf(id), "APPROVE", "fine").statusCode(200);
        return id;
    }

    @Test
    void aDenyWindowHoldsAnApprovedCandidateAndReleasesItWhenTheWindowEnds() {
        String name = Submissions.uniqueName("frozen");
        Instant end = Instant.now().plusSeconds(6).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        window("rita", """
                {"name": "release-train", "effect": "DENY", "kind": "MODEL", "subjectName": "%s",
                 "startsAt": "%s", "endsAt": "%s", "reason": "quarter close"}"""
                .formatted(name, Instant.now().minusSeconds(60), end)).statusCode(201)
                .body("openNow", equalTo(true))
                .body("scope", equalTo("MODEL " + name));

        String id = approved(name, "1.0.0", Submissions.DIGEST_A);

        as("audrey").get("/api/v1/candidates/" + id).then().statusCode(200)
                .body("stage", equalTo("AWAITING_APPROVAL"))
                .body("hold.reason", containsString("freeze window 'release-train' (MODEL " + name + ": quarter close)"))
                .body("hold.until", equalTo(end.toString()));
        PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.PRODUCTION_HELD), WAIT);

        await().atMost(WAIT).until(() -> "DEPLOYING_PRODUCTION".equals(stageOf(id)));
        as("audrey").get("/api/v1/candidates/" + id).then().body("hold", nullValue());
        Promotions.deployedToProduction(id);
        assertThat(stageOf(id)).isEqualTo("IN_PRODUCTION");
    }

    @Test
    void stopTheLineHaltsProductionDeploymentsAndTheNewestHeldVersionGoesFirstOnRestart() {
        String name = Submissions.uniqueName("stopped");
        line("rita", "stop", "INC-4711: the payment provider is degraded").statusCode(200).body("stopped", equalTo(true));
        String older;
        String newer;
        try {
            line("admin", "stop", "again").statusCode(409)
                    .body("type", equalTo("https://tollgate.dev/problems/line-already"));
            older = approved(name, "1.0.0", Submissions.DIGEST_A);
            newer = approved(name, "1.1.0", Submissions.DIGEST_B);

            for (String id : new String[] {older, newer}) {
                as("audrey").get("/api/v1/candidates/" + id).then()
                        .body("stage", equalTo("AWAITING_APPROVAL"))
                        .body("hold.reason", equalTo("the line is stopped (by rita: INC-4711: the payment provider is "
                                + "degraded)"))
                        .body("hold.until", nullValue());
            }
            as("mona").get("/api/v1/line").then().statusCode(200).body("stopped", equalTo(true))
                    .body("stoppedBy", equalTo("rita"));
        } finally {
            line("admin", "restart", "provider recovered").statusCode(200).body("stopped", equalTo(false));
        }

        await().atMost(WAIT).until(() -> "DEPLOYING_PRODUCTION".equals(stageOf(newer)));
        await().atMost(WAIT).until(() -> "CANCELLED".equals(stageOf(older)));
        as("audrey").get("/api/v1/candidates/" + older + "/history").then()
                .body("reason", hasItem("Superseded by version 1.1.0, held for production too: the newest goes first"));
        line("admin", "restart", "twice").statusCode(409);
        as("audrey").queryParam("type", "line.restarted").queryParam("limit", 1000).get("/api/v1/audit").then()
                .body("items.data.reason", hasItem("provider recovered"));
    }

    @Test
    void anApprovalHeldLongerThanItsValidityRunsOutAndTheCandidateIsRejected() {
        String id = Api.submitted("alice", Submissions.model("brief-approval", Submissions.uniqueName("stale-approval"),
                "1.0.0", Submissions.DIGEST_A, 0.93, 41.0, true, false));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);
        line("rita", "stop", "INC-6000").statusCode(200);
        try {
            Api.decide("bob", Api.taskOf(id), "APPROVE", "fine").statusCode(200);
            assertThat(stageOf(id)).isEqualTo("AWAITING_APPROVAL");

            await().atMost(WAIT).until(() -> "REJECTED".equals(stageOf(id)));
        } finally {
            line("rita", "restart", "INC-6000 over").statusCode(200);
        }
        as("audrey").get("/api/v1/candidates/" + id + "/history").then()
                .body("reason", hasItem(containsString("ran out (PT3S) before production could be requested")));
    }

    @Test
    void outsideEveryAllowWindowACandidateWaitsUntilTheWindowIsDeleted() {
        String name = Submissions.uniqueName("allowed");
        String created = window("admin", """
                {"name": "business-hours", "effect": "ALLOW", "kind": "MODEL", "subjectName": "%s",
                 "startsAt": "%s", "endsAt": "%s", "reason": "deploy when people are around"}"""
                .formatted(name, Instant.now().plusSeconds(3600), Instant.now().plusSeconds(7200)))
                .statusCode(201).extract().path("id");

        String id = approved(name, "1.0.0", Submissions.DIGEST_A);
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("hold.reason", containsString("outside every allow window ('business-hours'); the next opens"));

        as("rita").delete("/api/v1/freezes/" + created).then().statusCode(200).body("deletedBy", equalTo("rita"));
        await().atMost(WAIT).until(() -> "DEPLOYING_PRODUCTION".equals(stageOf(id)));
    }

    @Test
    void windowsAreValidatedAndKeptByAdminsAndRiskOfficersOnly() {
        window("bob", """
                {"name": "x", "effect": "DENY", "cron": "0 18 * * 5", "duration": "PT62H", "timeZone": "Europe/Paris",
                 "reason": "weekend"}""").statusCode(403);
        window("rita", """
                {"name": "x", "effect": "SOMETIMES", "cron": "0 18 * * FRIDAY-ish", "duration": "62 hours",
                 "timeZone": "Mars/Olympus", "reason": " "}""").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("effect", "cron", "duration", "timeZone", "reason"));
        window("rita", """
                {"name": "x", "effect": "DENY", "startsAt": "2026-12-24T00:00:00Z", "endsAt": "2026-12-25T00:00:00Z",
                 "cron": "0 18 * * 5", "reason": "both"}""").statusCode(400).body("errors.field", hasItem("cron"));
        String weekend = window("rita", """
                {"name": "weekend", "effect": "DENY", "pipeline": "bench", "cron": "0 18 * * 5", "duration": "PT62H",
                 "timeZone": "Europe/Paris", "reason": "nobody on call"}""").statusCode(201)
                .body("scope", equalTo("pipeline bench"))
                .body("duration", equalTo("PT62H"))
                .extract().path("id");
        // Deleted at once: the suite's other tests use the bench pipeline, on any day of the week.
        as("admin").delete("/api/v1/freezes/" + weekend).then().statusCode(200);
        line("bob", "stop", "no").statusCode(403);
    }
}
