package dev.tollgate.pipeline;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.shared.CanonicalJson;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nobody grades their own exam: the submitter of a candidate never reports its evaluations, and the
 * inputs that would lower its risk are not taken from the submitter's word alone (docs/pipelines.md).
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class IndependentEvaluationTest {

    private static final String SEPARATION = "https://tollgate.dev/problems/separation-of-duties";

    private static RequestSpecification report(RequestSpecification as, String suite) {
        return as.contentType(ContentType.JSON)
                .body("{\"suite\": \"" + suite + "\", \"metrics\": {\"answer_relevance\": 0.9, \"toxicity_rate\": 0.001,"
                        + " \"auc\": 0.93}, \"passed\": true}");
    }

    private static String prompt(String name, String version, String submitter) throws Exception {
        String prompt = "{\"template\": \"Answer: {{q}}\", \"provider\": \"openai\", \"model\": \"gpt-4o-2024-08-06\"}";
        String digest = CanonicalJson.sha256(new com.fasterxml.jackson.databind.ObjectMapper().readTree(prompt));
        return Api.submitted(submitter, """
                {"kind": "PROMPT", "name": "%s", "version": "%s", "digest": "%s", "prompt": %s,
                 "metrics": {"answer_relevance": 0.9, "toxicity_rate": 0.001},
                 "labels": {"customer_facing": "false", "handles_pii": "false"}}""".formatted(name, version, digest, prompt));
    }

    private static long deniedFor(String actor) {
        return as("audrey").queryParam("actor", actor).queryParam("type", "access.denied").queryParam("limit", 1000)
                .get("/api/v1/audit").then().statusCode(200).extract().<List<?>>path("items").size();
    }

    @Test
    void theSubmitterCannotReportTheEvaluationsOfTheirOwnCandidate() {
        long before = deniedFor("eve");
        String id = Api.submitted("eve", Submissions.model(Submissions.uniqueName("own-exam"), "1.0.0"));

        report(as("eve"), "offline-eval").post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(403)
                .body("type", equalTo(SEPARATION));

        assertThat(stageOf(id)).isEqualTo("EVALUATING");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(deniedFor("eve")).isGreaterThan(before));
    }

    @Test
    void theSubmittersNameInOtherCapitalsIsStillTheSubmitter() {
        String id = Api.submitted("alice", Submissions.model(Submissions.uniqueName("capitals"), "1.0.0"));

        report(as("ALICE"), "offline-eval").post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(403)
                .body("type", equalTo(SEPARATION));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);
        Api.decide("ALICE", Api.taskOf(id), "APPROVE", "mine").statusCode(403).body("type", equalTo(SEPARATION));
    }

    @Test
    void aPromptWhoseSubmitterClaimsNoRiskStillWaitsForPeople() throws Exception {
        // The attack: a submitter says "not customer-facing, no personal data" to reach LOW and auto-approval.
        String id = prompt(Submissions.uniqueName("claims-low"), "1", "alice");
        report(as("eve"), "golden-set").post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);
        report(as("eve"), "safety").post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);

        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("stage", equalTo("AWAITING_APPROVAL"))
                .body("risk.tier", equalTo("HIGH"))
                .body("risk.reasons", hasItem(
                        "handles_pii is owned by pipeline prompt: the name is not in the inventory and the submitter's 'false' is not "
                                + "trusted, so it counts as true"));
    }

    @Test
    void aPromptSubmittedByItsOnlyEvaluatorNeverReachesProductionAlone() throws Exception {
        String id = prompt(Submissions.uniqueName("alone"), "1", "eve");

        report(as("eve"), "golden-set").post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(403);
        report(as("eve"), "safety").post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(403);

        assertThat(stageOf(id)).isEqualTo("EVALUATING");
    }

    @Test
    void lowRiskWithNoIndependentEvidenceIsNotApprovedAutomatically() {
        String name = Submissions.uniqueName("no-evidence");
        String first = Api.submitted("alice", Submissions.model("trusting", name, "1.0.0",
                Submissions.DIGEST_A, 0.93, 41.0, false, false));
        Promotions.deployment(first, "staging", "SUCCEEDED").statusCode(200);
        Api.decide("bob", Api.taskOf(first), "APPROVE", "first release").statusCode(200);
        Promotions.deployedToProduction(first);

        String id = Api.submitted("alice", Submissions.model("trusting", name, "1.1.0", Submissions.DIGEST_B, 0.93, 41.0,
                false, false));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);

        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("risk.tier", equalTo("LOW"))
                .body("stage", equalTo("AWAITING_APPROVAL"))
                .body("approvals.required", equalTo(1));
    }

    @Test
    void aTokenCannotEvaluateWhatAnotherTokenOfTheSameOwnerSubmitted() {
        String submitter = token("submit", "ci-shared", "submitter");
        String evaluator = token("evaluate", "ci-shared", "evaluator");
        String id = Api.anonymous().header("Authorization", "Bearer " + submitter).contentType(ContentType.JSON)
                .body(Submissions.model(Submissions.uniqueName("same-owner"), "1.0.0"))
                .post("/api/v1/candidates").then().statusCode(201).body("submittedBy", equalTo("token:ci-shared"))
                .extract().path("id");

        report(Api.anonymous().header("Authorization", "Bearer " + evaluator), "offline-eval")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(403).body("type", equalTo(SEPARATION));
    }

    private static String token(String name, String owner, String role) {
        return as("admin").contentType(ContentType.JSON)
                .body("{\"name\": \"" + Submissions.uniqueName(name) + "\", \"owner\": \"" + owner + "\", \"roles\": [\""
                        + role + "\"]}")
                .post("/api/v1/admin/tokens").then().statusCode(201).extract().path("secret");
    }
}
