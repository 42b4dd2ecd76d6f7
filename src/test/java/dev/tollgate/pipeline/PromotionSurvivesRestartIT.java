package dev.tollgate.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.events.EventTypes;
import dev.tollgate.local.LocalFiles;
import dev.tollgate.local.LocalServices;
import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Submissions;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A promotion waiting for approval survives the death of the application: the packaged jar is
 * killed with SIGKILL and a new instance, started on the same database, finishes the promotion.
 */
class PromotionSurvivesRestartIT {

    private static Path workDirectory;
    private static LocalServices services;

    @BeforeAll
    static void startServices() throws Exception {
        workDirectory = LocalServices.temporaryWorkDirectory();
        services = LocalServices.start(0, 0, workDirectory);
    }

    @AfterAll
    static void stopServices() throws Exception {
        services.close();
        LocalFiles.deleteRecursively(workDirectory);
    }

    @Test
    void waitingPromotionAndItsApprovalTaskSurviveAKilledInstance() throws Exception {
        String name = Submissions.uniqueName("restart");
        String candidateId;
        String taskId;
        try (AppProcess first = AppProcess.start(services.config())) {
            candidateId = as(first, "alice").contentType(ContentType.JSON).body(Submissions.model(name, "1.0.0"))
                    .post("/api/v1/candidates").then().statusCode(201)
                    .body("stage", equalTo("AWAITING_APPROVAL")).extract().path("id");
            taskId = as(first, "bob").get("/api/v1/candidates/" + candidateId).then().extract().path("approvals.taskId");
            first.kill();
        }

        try (AppProcess second = AppProcess.start(services.config())) {
            as(second, "bob").get("/api/v1/approvals?limit=200").then().statusCode(200)
                    .body("items.taskId", hasItem(taskId));
            as(second, "bob").contentType(ContentType.JSON).body("{\"decision\": \"APPROVE\", \"comment\": \"after restart\"}")
                    .post("/api/v1/approvals/" + taskId + "/decision").then().statusCode(200)
                    .body("status", equalTo("APPROVED"));
            as(second, "audrey").get("/api/v1/candidates/" + candidateId).then().statusCode(200)
                    .body("stage", equalTo("IN_PRODUCTION"));
        }

        List<PromotionEvents.Received> events = PromotionEvents.awaitFor(services.config().get(LocalServices.KAFKA),
                candidateId, PromotionEvents.containsType(EventTypes.PROMOTED), Duration.ofSeconds(30));
        assertThat(events).extracting(PromotionEvents.Received::sequence)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 7).boxed().toList());
    }

    private static RequestSpecification as(AppProcess app, String user) {
        return given().baseUri("http://localhost").port(app.port()).auth().preemptive().basic(user, "demo")
                .accept(ContentType.JSON);
    }
}
