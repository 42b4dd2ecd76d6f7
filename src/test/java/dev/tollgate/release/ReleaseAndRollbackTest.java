package dev.tollgate.release;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.events.EventTypes;
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

@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ReleaseAndRollbackTest {

    private static ValidatableResponse rollback(String user, String name, String body) {
        return as(user).contentType(ContentType.JSON).body(body)
                .post("/api/v1/releases/MODEL/" + name + "/rollback").then();
    }

    private static String model(String name, String version, char digit) {
        return Submissions.model("standard", name, version, "sha256:" + String.valueOf(digit).repeat(64), 0.93, 41.0,
                true, false);
    }

    @Test
    void releasesShowWhatServedNowAndAtAPastInstant() {
        String name = Submissions.uniqueName("release");
        String first = Promotions.toProduction(model(name, "1.0.0", '1'));
        Instant between = Instant.now();
        String second = Promotions.toProduction(model(name, "1.1.0", '2'));

        as("mona").get("/api/v1/releases/MODEL/" + name).then().statusCode(200)
                .body("production.version", equalTo("1.1.0"))
                .body("production.candidateId", equalTo(second))
                .body("staging.version", equalTo("1.1.0"));
        as("mona").queryParam("at", between.toString()).get("/api/v1/releases/MODEL/" + name).then()
                .body("production.version", equalTo("1.0.0"))
                .body("production.candidateId", equalTo(first));
        as("mona").get("/api/v1/releases/MODEL/unknown-" + name).then().statusCode(200)
                .body("production", equalTo(null));
        as("mona").queryParam("at", "yesterday").get("/api/v1/releases/MODEL/" + name).then().statusCode(400);
    }

    @Test
    void rollbackPutsThePreviousVersionBackThroughTheDeploymentHandshake() {
        String name = Submissions.uniqueName("rollback");
        String first = Promotions.toProduction(model(name, "1.0.0", '1'));
        String second = Promotions.toProduction(model(name, "1.1.0", '2'));

        rollback("dave", name, "{\"reason\": \"error rate up after 1.1.0\"}").statusCode(202)
                .body("candidateId", equalTo(first))
                .body("stage", equalTo("DEPLOYING_PRODUCTION"));
        assertThat(stageOf(second)).isEqualTo("IN_PRODUCTION");
        Promotions.deployment(first, "production", "SUCCEEDED").statusCode(200);

        assertThat(stageOf(first)).isEqualTo("IN_PRODUCTION");
        assertThat(stageOf(second)).isEqualTo("ROLLED_BACK");
        as("mona").get("/api/v1/releases/MODEL/" + name).then().body("production.version", equalTo("1.0.0"));
        PromotionEvents.awaitFor(second, PromotionEvents.containsType(EventTypes.ROLLEDBACK), Duration.ofSeconds(30));
    }

    @Test
    void rollbackToANamedVersion() {
        String name = Submissions.uniqueName("rollback-named");
        String first = Promotions.toProduction(model(name, "1.0.0", '1'));
        Promotions.toProduction(model(name, "1.1.0", '2'));
        Promotions.toProduction(model(name, "1.2.0", '3'));

        rollback("admin", name, "{\"toVersion\": \"1.0.0\", \"reason\": \"back to the audited model\"}").statusCode(202)
                .body("candidateId", equalTo(first));
        Promotions.deployment(first, "production", "SUCCEEDED").statusCode(200);
        as("mona").get("/api/v1/releases/MODEL/" + name).then().body("production.version", equalTo("1.0.0"));
    }

    @Test
    void failedRollbackDeploymentLeavesTheCurrentVersionServing() {
        String name = Submissions.uniqueName("rollback-fails");
        String first = Promotions.toProduction(model(name, "1.0.0", '1'));
        String second = Promotions.toProduction(model(name, "1.1.0", '2'));
        rollback("dave", name, "{\"reason\": \"try\"}").statusCode(202);
        Promotions.deployment(first, "production", "FAILED").statusCode(200);

        assertThat(stageOf(first)).isEqualTo("RETIRED");
        assertThat(stageOf(second)).isEqualTo("IN_PRODUCTION");
    }

    @Test
    void rollbackIsRefusedWithoutAnEarlierVersionOrReasonOrRole() {
        String name = Submissions.uniqueName("rollback-refused");
        Promotions.toProduction(model(name, "1.0.0", '1'));

        rollback("dave", name, "{\"reason\": \"nothing to go back to\"}").statusCode(409);
        rollback("dave", name, "{}").statusCode(400);
        rollback("bob", name, "{\"reason\": \"not mine to do\"}").statusCode(403);
        rollback("dave", name, "{\"toVersion\": \"0.0.1\", \"reason\": \"x\"}").statusCode(400);
    }
}
