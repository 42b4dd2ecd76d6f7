package dev.tollgate.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.events.EventTypes;
import dev.tollgate.local.LocalServices;
import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Submissions;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Promotions survive the death of the application: the packaged jar is killed with SIGKILL while
 * promotions wait at evaluation, at staging, at approval and on a timer; a new instance on the
 * same database finishes all of them (and fires the timer that came due while nothing ran).
 */
class PromotionSurvivesRestartIT {

    private static LocalServices services;
    private static Map<String, String> config;

    @BeforeAll
    static void startServices() throws Exception {
        services = LocalServices.startTemporary();
        config = new HashMap<>(services.config());
        Path projectDir = Path.of(System.getProperty("tollgate.project.dir", System.getProperty("user.dir")));
        config.put("tollgate.pipelines.directory", projectDir.resolve("src/test/resources/pipelines").toString());
        config.put("tollgate.timers.poll-interval", "200ms");
    }

    @AfterAll
    static void stopServices() throws Exception {
        services.close();
    }

    @Test
    void waitingPromotionsAndTheirTimersSurviveAKilledInstance() throws Exception {
        String atEvaluation;
        String atStaging;
        String atApproval;
        String taskId;
        String onTimer;
        try (AppProcess first = AppProcess.start(config)) {
            atEvaluation = submit(first, Submissions.model(Submissions.uniqueName("restart-eval"), "1.0.0"));
            atStaging = submit(first, Submissions.model(Submissions.uniqueName("restart-staging"), "1.0.0"));
            report(first, atStaging);
            atApproval = submit(first, Submissions.model(Submissions.uniqueName("restart-approval"), "1.0.0"));
            report(first, atApproval);
            deployed(first, atApproval, "staging");
            taskId = as(first, "bob").get("/api/v1/candidates/" + atApproval).then()
                    .body("stage", equalTo("AWAITING_APPROVAL")).extract().path("approvals.taskId");
            onTimer = submit(first, Submissions.model("hasty", Submissions.uniqueName("restart-timer"), "1.0.0",
                    Submissions.DIGEST_A, 0.93, 41.0, true, false));
            first.kill();
        }
        Thread.sleep(2500); // the hasty pipeline's 2 s evaluation timeout comes due while nothing runs

        try (AppProcess second = AppProcess.start(config)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(second, "audrey")
                    .get("/api/v1/candidates/" + onTimer).then().body("stage", equalTo("FAILED")));
            as(second, "audrey").get("/api/v1/candidates/" + onTimer + "/history").then()
                    .body("reason", hasItem(containsString("timeout")));

            report(second, atEvaluation);
            assertThat(stage(second, atEvaluation)).isEqualTo("DEPLOYING_STAGING");

            deployed(second, atStaging, "staging");
            assertThat(stage(second, atStaging)).isEqualTo("AWAITING_APPROVAL");

            as(second, "bob").get("/api/v1/approvals?limit=200").then().statusCode(200)
                    .body("items.taskId", hasItem(taskId));
            as(second, "bob").contentType(ContentType.JSON).body("{\"decision\": \"APPROVE\", \"comment\": \"after restart\"}")
                    .post("/api/v1/approvals/" + taskId + "/decision").then().statusCode(200)
                    .body("status", equalTo("APPROVED"));
            deployed(second, atApproval, "production");
            assertThat(stage(second, atApproval)).isEqualTo("IN_PRODUCTION");
        }

        List<PromotionEvents.Received> events = PromotionEvents.awaitFor(services.config().get(LocalServices.KAFKA),
                atApproval, PromotionEvents.containsType(EventTypes.PROMOTED), Duration.ofSeconds(30));
        assertThat(events).extracting(PromotionEvents.Received::sequence)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 12).boxed().toList());
    }

    private static String submit(AppProcess app, String body) {
        return as(app, "alice").contentType(ContentType.JSON).body(body).post("/api/v1/candidates").then()
                .statusCode(201).body("stage", equalTo("EVALUATING")).extract().path("id");
    }

    private static void report(AppProcess app, String id) {
        as(app, "eve").contentType(ContentType.JSON).body("{\"suite\": \"offline-eval\", \"metrics\": {\"auc\": 0.93}}")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);
    }

    private static void deployed(AppProcess app, String id, String stage) {
        as(app, "dave").contentType(ContentType.JSON)
                .body("{\"stage\": \"" + stage + "\", \"outcome\": \"SUCCEEDED\", \"environment\": \"eu-1\"}")
                .post("/api/v1/candidates/" + id + "/deployments").then().statusCode(200);
    }

    private static String stage(AppProcess app, String id) {
        return as(app, "audrey").get("/api/v1/candidates/" + id).then().extract().path("stage");
    }

    private static RequestSpecification as(AppProcess app, String user) {
        return given().baseUri("http://localhost").port(app.port()).auth().preemptive().basic(user, "demo")
                .accept(ContentType.JSON);
    }
}
