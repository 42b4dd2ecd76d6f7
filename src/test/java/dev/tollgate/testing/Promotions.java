package dev.tollgate.testing;

import static dev.tollgate.testing.Api.as;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Drives a candidate through the workflow as the other systems would: evaluators and deployers. */
public final class Promotions {

    private Promotions() {
    }

    /** eve (evaluator) reports a suite with the given auc. */
    public static ValidatableResponse report(String candidateId, String suite, double auc) {
        return as("eve").contentType(ContentType.JSON)
                .body("{\"suite\": \"%s\", \"metrics\": {\"auc\": %s}, \"passed\": true}".formatted(suite, auc))
                .post("/api/v1/candidates/" + candidateId + "/evaluations").then();
    }

    /** dave (deployer) reports a deployment result. */
    public static ValidatableResponse deployment(String candidateId, String stage, String outcome) {
        return as("dave").contentType(ContentType.JSON)
                .body("{\"stage\": \"%s\", \"outcome\": \"%s\", \"environment\": \"%s-eu-1\", \"detail\": \"rollout %s\"}"
                        .formatted(stage, outcome, stage, outcome.toLowerCase()))
                .post("/api/v1/candidates/" + candidateId + "/deployments").then();
    }

    /** Submits, reports the suite and the staging deployment: the candidate waits for approval (or is auto-approved). */
    public static String throughStaging(String user, String body) {
        String id = Api.submitted(user, body);
        report(id, "offline-eval", 0.93).statusCode(201);
        deployment(id, "staging", "SUCCEEDED").statusCode(200);
        return id;
    }

    /** After approval: the production deployment succeeds and the candidate is IN_PRODUCTION. */
    public static void deployedToProduction(String candidateId) {
        deployment(candidateId, "production", "SUCCEEDED").statusCode(200);
    }

    /** The whole way to production with one approval by bob. */
    public static String toProduction(String body) {
        String id = throughStaging("alice", body);
        String task = Api.taskOf(id);
        if (task != null) {
            Api.decide("bob", task, "APPROVE", "fine").statusCode(200);
        }
        deployedToProduction(id);
        return id;
    }
}
