package dev.tollgate.shared;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.submit;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Text that PostgreSQL cannot hold (U+0000, unpaired surrogates) is a 400 naming the field, on every
 * body, path and query parameter: never a database error, never a 500.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class UnstorableTextTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String VALIDATION = "https://tollgate.dev/problems/validation";

    private static String model(String extraLabels, String description) {
        String name = Submissions.uniqueName("nul");
        return """
                {"kind": "MODEL", "name": "%s", "version": "1.0.0", "artifactUri": "s3://m/%s",
                 "digest": "%s", "metrics": {"auc": 0.93, "latency_p95_ms": 41.0},
                 "labels": {"team": "risk"%s}, "description": %s}
                """.formatted(name, name, Submissions.DIGEST_A, extraLabels, description);
    }

    @Test
    void nulCharacterInTheDescriptionIsRefusedNamingTheField() {
        submit("alice", model("", "\"retrained\\u0000on October data\"")).statusCode(400).contentType(PROBLEM)
                .body("type", equalTo(VALIDATION))
                .body("errors[0].field", equalTo("description"))
                .body("errors[0].message", containsString("NUL"));
    }

    @Test
    void nulCharacterInALabelValueIsRefusedNamingTheLabel() {
        submit("alice", model(", \"customer_facing\": \"fal\\u0000se\"", "null")).statusCode(400)
                .body("errors[0].field", equalTo("labels.customer_facing"));
    }

    @Test
    void nulCharacterInALabelKeyIsRefused() {
        submit("alice", model(", \"a\\u0000b\": \"x\"", "null")).statusCode(400)
                .body("errors[0].field", equalTo("labels.a\\u0000b"));
    }

    @Test
    void unpairedSurrogateInThePromptTemplateIsRefused() {
        String body = """
                {"kind": "PROMPT", "name": "%s", "version": "1", "digest": "%s",
                 "prompt": {"template": "Hello \\ud800", "provider": "openai", "model": "gpt-4o"}}
                """.formatted(Submissions.uniqueName("surrogate"), Submissions.DIGEST_A);
        submit("alice", body).statusCode(400).body("errors[0].field", equalTo("prompt.template"))
                .body("errors[0].message", containsString("unpaired surrogate"));
    }

    @Test
    void nulCharacterInAQueryParameterIsRefusedNamingTheParameter() {
        as("mona").urlEncodingEnabled(false).get("/api/v1/candidates?name=x%00y").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("name"));
    }

    @Test
    void nulCharacterInAPathSegmentIsRefused() {
        as("mona").urlEncodingEnabled(false).get("/api/v1/releases/MODEL/x%00y").then().statusCode(400)
                .contentType(PROBLEM).body("type", equalTo(VALIDATION));
    }

    @Test
    void nulCharacterInADeploymentDetailIsRefused() {
        String id = Api.submitted("alice", Submissions.model(Submissions.uniqueName("nul-deploy"), "1.0.0"));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        as("dave").contentType(ContentType.JSON)
                .body("{\"stage\": \"staging\", \"outcome\": \"SUCCEEDED\", \"detail\": \"ok\\u0000\"}")
                .post("/api/v1/candidates/" + id + "/deployments").then().statusCode(400)
                .body("errors[0].field", equalTo("detail"));
        as("audrey").get("/api/v1/candidates/" + id).then().body("stage", equalTo("DEPLOYING_STAGING"));
    }

    @Test
    void nulCharacterInARejectionCommentIsRefused() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("nul-vote"), "1.0.0"));
        Api.decide("bob", Api.taskOf(id), "REJECT", "no\\u0000").statusCode(400)
                .body("errors[0].field", equalTo("comment"));
        as("audrey").get("/api/v1/candidates/" + id).then().body("stage", equalTo("AWAITING_APPROVAL"));
    }
}
