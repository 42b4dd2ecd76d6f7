package dev.tollgate.watch;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
import org.junit.jupiter.api.Test;

/**
 * The verification window after a release (a signal beyond its bound rolls back at once; a quiet window passes) and
 * the policy's schedule of re-evaluations, whose overdue suites fail the re-evaluation.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class VerificationAndScheduleTest {

    @Test
    void anErrorRateBeyondItsBoundInTheVerificationWindowRollsBackAtOnce() {
        String name = Submissions.uniqueName("verified");
        String first = modelInProduction("verified", name, "1.0.0", '1');
        String second = modelInProduction("verified", name, "1.1.0", '2');

        long started = System.nanoTime();
        String reevaluation = Watches.drift("MODEL", name, "error_rate", 0.09).statusCode(201)
                .body("outcome", equalTo("VERIFICATION_FAILED")).body("candidateId", equalTo(second))
                .extract().path("reevaluationId");
        assertThat(stageOf(first)).as("the rollback is requested by the signal's own request").isEqualTo("DEPLOYING_PRODUCTION");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        Watches.reevaluation(reevaluation).body("trigger", equalTo("VERIFICATION")).body("status", equalTo("ROLLED_BACK"))
                .body("gates[0].gate", equalTo("VERIFICATION")).body("gates[0].passed", equalTo(false));
        as("audrey").get("/api/v1/candidates/" + second).then().body("watch.verification.status", equalTo("FAILED"));
        Promotions.deployedToProduction(first);
        assertThat(stageOf(first)).isEqualTo("IN_PRODUCTION");
        assertThat(stageOf(second)).isEqualTo("ROLLED_BACK");
        var events = PromotionEvents.awaitFor(second, PromotionEvents.containsType(EventTypes.ROLLEDBACK),
                Duration.ofSeconds(30)).stream().map(PromotionEvents.Received::type).toList();
        assertThat(events).containsSubsequence(EventTypes.PROMOTED, EventTypes.VERIFICATION_FAILED,
                EventTypes.REEVALUATION_STARTED, EventTypes.REEVALUATION_FAILED, EventTypes.ROLLEDBACK);
    }

    @Test
    void aSignalWithinItsBoundInTheVerificationWindowChangesNothing() {
        String name = Submissions.uniqueName("within");
        String id = modelInProduction("verified", name, "1.0.0", '1');

        Watches.drift("MODEL", name, "error_rate", 0.01).statusCode(201).body("outcome", equalTo("WITHIN_BOUNDS"));
        as("audrey").get("/api/v1/candidates/" + id).then().body("watch.verification.status", equalTo("RUNNING"));
    }

    @Test
    void aQuietVerificationWindowPassesAndTheScheduleReevaluatesWithoutMultiplying() {
        String name = Submissions.uniqueName("scheduled");
        String first = modelInProduction("scheduled", name, "1.0.0", '1');

        PromotionEvents.awaitFor(first, PromotionEvents.containsType(EventTypes.VERIFICATION_PASSED), Duration.ofSeconds(30));
        String reevaluation = await().atMost(Duration.ofSeconds(30)).until(() -> as("audrey")
                .queryParam("candidateId", first).get("/api/v1/reevaluations").then().extract()
                .<String>path("items[0].id"), id -> id != null);
        // Its suite never reports: after the policy's two seconds the verdict fails, and people are asked.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Watches.reevaluation(reevaluation)
                .body("trigger", equalTo("SCHEDULE")).body("status", equalTo("AWAITING_DECISION"))
                .body("verdict", equalTo("FAILED")));
        // While it waits for people, the schedule starts no other one.
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                as("audrey").queryParam("candidateId", first).get("/api/v1/reevaluations").then()
                        .body("items.size()", equalTo(1)));

        String task = Watches.reevaluation(reevaluation).extract().path("task.taskId");
        String second = modelInProduction("scheduled", name, "1.1.0", '2');

        Watches.reevaluation(reevaluation).body("status", equalTo("ENDED"))
                .body("outcome", org.hamcrest.Matchers.containsString("1.1.0 serves in production now"));
        as("bob").get("/api/v1/approvals").then().body("items.taskId", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.hasItem(task)));
        assertThat(stageOf(second)).isEqualTo("IN_PRODUCTION");
        assertThat(PromotionEvents.awaitFor(first, PromotionEvents.containsType(EventTypes.REEVALUATION_ENDED),
                Duration.ofSeconds(30)).stream().map(PromotionEvents.Received::type).toList())
                .containsSubsequence(EventTypes.REEVALUATION_STARTED, EventTypes.REEVALUATION_FAILED,
                        EventTypes.APPROVAL_REQUESTED, EventTypes.RETIRED, EventTypes.REEVALUATION_ENDED);
    }

    /** A MODEL on a pipeline without staging: submitted, evaluated, approved by bob, deployed. */
    static String modelInProduction(String pipeline, String name, String version, char digit) {
        String id = Api.submitted("alice", Submissions.model(pipeline, name, version, "sha256:" + String.valueOf(digit)
                .repeat(64), 0.93, 41.0, false, false));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        Api.decide("bob", Api.taskOf(id), "APPROVE", "fine").statusCode(200);
        Promotions.deployedToProduction(id);
        assertThat(stageOf(id)).isEqualTo("IN_PRODUCTION");
        return id;
    }

}
