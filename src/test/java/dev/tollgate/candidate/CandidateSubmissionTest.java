package dev.tollgate.candidate;

import static dev.tollgate.testing.Api.anonymous;
import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class CandidateSubmissionTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void submitterCreatesACandidateWithItsPolicyPinned() {
        String name = Submissions.uniqueName("fraud-scorer");

        String location = submit("alice", Submissions.model(name, "1.4.0")).statusCode(201)
                .header("Location", containsString("/api/v1/candidates/"))
                .body("id", notNullValue())
                .body("kind", equalTo("MODEL"))
                .body("name", equalTo(name))
                .body("version", equalTo("1.4.0"))
                .body("submittedBy", equalTo("alice"))
                .body("pipeline", equalTo("standard"))
                .body("policyDigest", matchesPattern("sha256:[0-9a-f]{64}"))
                .body("stage", equalTo("EVALUATING"))
                .body("status", equalTo("ACTIVE"))
                .body("metrics.auc", equalTo(0.93f))
                .body("labels.customer_facing", equalTo("true"))
                .body("evaluation.required", equalTo(java.util.List.of("offline-eval")))
                .body("evaluation.pending", equalTo(java.util.List.of("offline-eval")))
                .extract().header("Location");

        as("mona").get(location).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void sameIdempotencyKeyAndBodyReturnsTheSameCandidate() {
        String body = Submissions.model(Submissions.uniqueName("idem"), "1.0.0");
        String first = as("alice").header("Idempotency-Key", "build-4711").contentType(ContentType.JSON).body(body)
                .post("/api/v1/candidates").then().statusCode(201).extract().path("id");

        as("alice").header("Idempotency-Key", "build-4711").contentType(ContentType.JSON)
                .body(body.replace("\n", "  \n"))
                .post("/api/v1/candidates").then().statusCode(200)
                .body("id", equalTo(first))
                .header("Location", endsWith(first));
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyIsUnprocessable() {
        String key = "build-" + Submissions.uniqueName("k");
        as("alice").header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Submissions.model(Submissions.uniqueName("idem-a"), "1.0.0"))
                .post("/api/v1/candidates").then().statusCode(201);

        as("alice").header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Submissions.model(Submissions.uniqueName("idem-b"), "1.0.0"))
                .post("/api/v1/candidates").then().statusCode(422)
                .contentType(PROBLEM)
                .body("type", equalTo("https://tollgate.dev/problems/idempotency-key-reused"));
    }

    @Test
    void sameVersionWithAnotherDigestConflicts() {
        String name = Submissions.uniqueName("conflict");
        String id = Api.submitted("alice", Submissions.model(name, "1.0.0"));

        submit("eve", Submissions.model(name, "1.0.0", Submissions.DIGEST_B, 0.93, 41.0)).statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("https://tollgate.dev/problems/digest-conflict"))
                .body("candidateId", equalTo(id));
    }

    @Test
    void invalidSubmissionNamesEveryInvalidField() {
        submit("alice", """
                {"kind": "DATASET", "name": "Fraud Scorer", "version": "",
                 "digest": "md5:abc", "metrics": {"auc": "high", "f1": 0.9},
                 "labels": {"team": 7}}
                """).statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://tollgate.dev/problems/validation"))
                .body("status", equalTo(400))
                .body("errors.field", containsInAnyOrder("kind", "name", "version", "digest", "metrics.auc",
                        "labels.team"));
    }

    @Test
    void modelWithoutArtifactUriIsInvalid() {
        submit("alice", """
                {"kind": "MODEL", "name": "no-artifact", "version": "1", "digest": "%s"}
                """.formatted(Submissions.DIGEST_A)).statusCode(400)
                .body("errors.field", hasItem("artifactUri"));
    }

    @Test
    void unknownFieldIsRefusedByName() {
        submit("alice", """
                {"kind": "MODEL", "name": "typo", "version": "1", "digest": "%s",
                 "artifactUri": "s3://m/typo/1", "metric": {"auc": 0.9}}
                """.formatted(Submissions.DIGEST_A)).statusCode(400)
                .body("errors[0].field", equalTo("metric"))
                .body("errors[0].message", equalTo("unknown field"));
    }

    @Test
    void unknownPipelineIsInvalid() {
        submit("alice", Submissions.model(Submissions.uniqueName("pipe"), "1").replace("\"standard\"", "\"nightly\""))
                .statusCode(400)
                .body("errors.field", hasItem("pipeline"));
    }

    @Test
    void pipelineForAnotherKindIsInvalid() {
        submit("alice", Submissions.model(Submissions.uniqueName("kind"), "1").replace("\"standard\"", "\"prompt\""))
                .statusCode(400)
                .body("errors[0].field", equalTo("pipeline"))
                .body("errors[0].message", containsString("PROMPT"));
    }

    @Test
    void nonFiniteMetricIsInvalid() {
        submit("alice", Submissions.model(Submissions.uniqueName("inf"), "1").replace("0.93", "1e400"))
                .statusCode(400)
                .body("errors.field", hasItem("metrics.auc"));
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        submit("alice", "{\"kind\": \"MODEL\", ").statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://tollgate.dev/problems/malformed-json"));
    }

    @Test
    void nonJsonBodyIsUnsupportedMediaType() {
        as("alice").contentType(ContentType.TEXT).body("kind=MODEL").post("/api/v1/candidates").then()
                .statusCode(415)
                .contentType(PROBLEM);
    }

    @Test
    void bodyOverOneMebibyteIsTooLarge() {
        String padding = "x".repeat(1024 * 1024);
        submit("alice", Submissions.model(Submissions.uniqueName("big"), "1")
                .replace("retrained on October data", padding)).statusCode(413)
                .contentType(PROBLEM);
    }

    @Test
    void promptDigestMustBeTheSha256OfItsCanonicalForm() {
        String prompt = """
                {"template": "Summarise: {{text}}", "provider": "openai", "model": "gpt-4o-2024-08-06",
                 "parameters": {"temperature": 0.2, "max_tokens": 256}}""";
        String canonical = "{\"model\":\"gpt-4o-2024-08-06\",\"parameters\":{\"max_tokens\":256,\"temperature\":0.2},"
                + "\"provider\":\"openai\",\"template\":\"Summarise: {{text}}\"}";
        String digest = dev.tollgate.shared.CanonicalJson.sha256(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String name = Submissions.uniqueName("summary-prompt");
        String body = """
                {"kind": "PROMPT", "name": "%s", "version": "3", "digest": "%s", "prompt": %s,
                 "metrics": {"answer_relevance": 0.9, "toxicity_rate": 0.001}}""";

        submit("alice", body.formatted(name, Submissions.DIGEST_A, prompt)).statusCode(400)
                .body("errors.field", hasItem("digest"))
                .body("errors.message", hasItem(containsString(digest)));
        submit("alice", body.formatted(name, digest, prompt)).statusCode(201)
                .body("pipeline", equalTo("prompt"))
                .body("prompt.model", equalTo("gpt-4o-2024-08-06"))
                .body("stage", equalTo("EVALUATING"))
                .body("evaluation.pending", equalTo(java.util.List.of("golden-set", "safety")));
    }

    @Test
    void promptWithANumberThatNoDoubleHoldsExactlyIsRefused() {
        // 2^53 + 1 reads as 2^53: accepting it would give two different prompts one digest (RFC 8785 takes I-JSON only).
        String body = """
                {"kind": "PROMPT", "name": "%s", "version": "1", "digest": "%s",
                 "prompt": {"template": "t", "provider": "openai", "model": "gpt-4o", "parameters": {"seed": 9007199254740993}}}
                """.formatted(Submissions.uniqueName("seed"), Submissions.DIGEST_A);
        submit("alice", body).statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("prompt"))
                .body("errors[0].message", containsString("I-JSON"));
    }

    @Test
    void onlySubmittersMaySubmit() {
        submit("bob", Submissions.model(Submissions.uniqueName("bob"), "1")).statusCode(403).contentType(PROBLEM);
        anonymous().contentType(ContentType.JSON).body(Submissions.model("anon", "1"))
                .post("/api/v1/candidates").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"));
        as("alice").auth().preemptive().basic("alice", "wrong").get("/api/v1/candidates").then().statusCode(401);
    }

    @Test
    void unknownCandidateIsNotFoundProblem() {
        as("mona").get("/api/v1/candidates/00000000-0000-0000-0000-000000000000").then().statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://tollgate.dev/problems/not-found"));
        as("mona").get("/api/v1/candidates/00000000-0000-0000-0000-000000000000/history").then().statusCode(404);
    }

    @Test
    void listIsKeysetPagedNewestFirst() {
        String name = Submissions.uniqueName("paged");
        String v1 = Api.submitted("alice", Submissions.model(name, "1"));
        String v2 = Api.submitted("alice", Submissions.model(name, "2"));
        String v3 = Api.submitted("alice", Submissions.model(name, "3"));

        var first = as("mona").queryParam("name", name).queryParam("limit", 2).get("/api/v1/candidates").then()
                .statusCode(200)
                .body("items.id", equalTo(java.util.List.of(v3, v2)))
                .body("next", notNullValue())
                .extract();
        as("mona").queryParam("name", name).queryParam("limit", 2).queryParam("cursor", (String) first.path("next"))
                .get("/api/v1/candidates").then().statusCode(200)
                .body("items.id", equalTo(java.util.List.of(v1)))
                .body("next", equalTo(null));
    }

    @Test
    void listFiltersByStageStatusAndSubmitter() {
        String name = Submissions.uniqueName("filtered");
        String waiting = Api.submitted("sam", Submissions.model(name, "1"));
        String failed = Api.submitted("sam", Submissions.model(name, "2", Submissions.DIGEST_A, 0.5, 41.0));
        dev.tollgate.testing.Promotions.report(failed, "offline-eval", 0.5).statusCode(201);

        as("mona").queryParam("name", name).queryParam("status", "ACTIVE").get("/api/v1/candidates").then()
                .body("items.id", equalTo(java.util.List.of(waiting)));
        as("mona").queryParam("name", name).queryParam("status", "FAILED").get("/api/v1/candidates").then()
                .body("items.id", equalTo(java.util.List.of(failed)));
        as("mona").queryParam("submittedBy", "sam").queryParam("kind", "MODEL").queryParam("limit", 200)
                .get("/api/v1/candidates").then().body("items.id", hasItems(waiting, failed));
        as("mona").queryParam("stage", "LAUNCHED").get("/api/v1/candidates").then().statusCode(400)
                .body("errors.field", hasItem("stage"));
        as("mona").queryParam("limit", 0).get("/api/v1/candidates").then().statusCode(400);
        as("mona").queryParam("cursor", "not-a-cursor").get("/api/v1/candidates").then().statusCode(400)
                .body("errors.field", hasItem("cursor"));
        assertThat(Api.stageOf(failed)).isEqualTo("FAILED");
    }

    /** Shortcut to the shared helpers under a name that reads well here. */
    private static final class Api {
        static String submitted(String user, String body) {
            return dev.tollgate.testing.Api.submitted(user, body);
        }

        static String stageOf(String id) {
            return dev.tollgate.testing.Api.stageOf(id);
        }
    }
}
