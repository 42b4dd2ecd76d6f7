package dev.tollgate.pipeline;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A policy's {@code staging.soak}: approval opens only once the candidate has served that long in staging. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class StagingSoakTest {

    @Test
    void aCandidateSoaksInStagingThenItsApprovalOpens() {
        String id = Api.submitted("alice", Submissions.model("soaking", Submissions.uniqueName("soaked"), "1.0.0",
                Submissions.DIGEST_A, 0.93, 41.0, true, false));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);

        assertThat(stageOf(id)).isEqualTo("DEPLOYING_STAGING");
        assertThat(Api.taskOf(id)).as("no approval task while it soaks").isNull();
        as("audrey").get("/api/v1/candidates/" + id + "/history").then()
                .body("reason", hasItem(startsWith("Soaking in staging for PT3S, until ")));
        PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.STAGING_SOAKING), Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> "AWAITING_APPROVAL".equals(stageOf(id)));
        assertThat(Api.taskOf(id)).isNotNull();
        Api.decide("bob", Api.taskOf(id), "APPROVE", "soaked").statusCode(200);
        Promotions.deployedToProduction(id);
        assertThat(stageOf(id)).isEqualTo("IN_PRODUCTION");
    }
}
