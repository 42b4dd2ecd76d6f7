package dev.tollgate.freeze;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TestClock;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A deny window holds an approved candidate until the window ends, with the application's clock moved by the test:
 * no waiting for real time.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
@TestProfile(FreezeWindowTestClockTest.MovableClock.class)
class FreezeWindowTestClockTest {

    /** The application reads {@link TestClock}. */
    public static class MovableClock implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(TestClock.class);
        }
    }

    @AfterEach
    void backToRealTime() {
        TestClock.reset();
    }

    @Test
    void aDenyWindowHoldsACandidateUntilTheTestClockPassesItsEnd() {
        String name = Submissions.uniqueName("test-clock");
        Instant end = TestClock.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        as("rita").contentType(ContentType.JSON).body("""
                {"name": "change-freeze", "effect": "DENY", "kind": "MODEL", "subjectName": "%s",
                 "startsAt": "%s", "endsAt": "%s", "reason": "release train"}"""
                .formatted(name, TestClock.now().minusSeconds(60), end))
                .post("/api/v1/freezes").then().statusCode(201).body("openNow", equalTo(true));
        String id = Promotions.throughStaging("alice", Submissions.model(name, "1.0.0"));
        Api.decide("bob", Api.taskOf(id), "APPROVE", "fine").statusCode(200);
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("stage", equalTo("AWAITING_APPROVAL"))
                .body("hold.reason", containsString("change-freeze"))
                .body("hold.until", equalTo(end.toString()));

        TestClock.advance(Duration.ofMinutes(9));
        // Still inside the window: a poll or two of the timers, and nothing moves.
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> "AWAITING_APPROVAL".equals(stageOf(id)));

        TestClock.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(60)).until(() -> "DEPLOYING_PRODUCTION".equals(stageOf(id)));
    }
}
