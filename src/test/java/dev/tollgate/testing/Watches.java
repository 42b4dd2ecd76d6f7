package dev.tollgate.testing;

import static dev.tollgate.testing.Api.as;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.shared.CanonicalJson;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;

/**
 * Prompts and models in production on the watching test pipelines, and the signals monitors send about them
 * (docs/drift.md).
 */
public final class Watches {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Watches() {
    }

    /** A PROMPT body for {@code pipeline} whose prompt asks for {@code model}. */
    public static String prompt(String pipeline, String name, String version, String model, String template) {
        String prompt = """
                {"template": "%s", "provider": "openai", "model": "%s", "parameters": {"temperature": 0.2}}"""
                .formatted(template, model);
        try {
            String digest = CanonicalJson.sha256(JSON.readTree(prompt));
            return """
                    {"kind": "PROMPT", "name": "%s", "version": "%s", "digest": "%s", "pipeline": "%s", "prompt": %s,
                     "metrics": {"answer_relevance": 0.86}, "labels": {"team": "support"}}"""
                    .formatted(name, version, digest, pipeline, prompt);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A prompt the whole way to production on a pipeline with one suite (golden-set), no staging and one approver:
     * eve reports what answered during the evaluation ({@code fingerprint}), bob approves, dave deploys it.
     */
    public static String promptInProduction(String pipeline, String name, String version, String model,
                                            String fingerprint) {
        return promptInProduction("alice", pipeline, name, version, model, fingerprint);
    }

    /** The same, submitted by {@code submitter} (sam submits and approves: separation of duties applies to him). */
    public static String promptInProduction(String submitter, String pipeline, String name, String version,
                                            String model, String fingerprint) {
        String id = Api.submitted(submitter, prompt(pipeline, name, version, model, "Answer: {{q}} v" + version));
        as("eve").contentType(ContentType.JSON).body("""
                {"suite": "golden-set", "metrics": {"answer_relevance": 0.86}, "passed": true,
                 "observed": {"provider": "openai", "model": "%s", "fingerprint": "%s"}}"""
                .formatted(model, fingerprint))
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);
        Api.decide("bob", Api.taskOf(id), "APPROVE", "fine").statusCode(200);
        Promotions.deployedToProduction(id);
        return id;
    }

    /**
     * A model the whole way to production on a pipeline with one suite (offline-eval), no staging and one approver:
     * alice submits it, eve reports the suite, bob approves, dave deploys it.
     */
    public static String modelInProduction(String pipeline, String name, String version) {
        String id = Api.submitted("alice", Submissions.model(pipeline, name, version, Submissions.DIGEST_A, 0.93, 41.0,
                false, false));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        Api.decide("bob", Api.taskOf(id), "APPROVE", "fine").statusCode(200);
        Promotions.deployedToProduction(id);
        return id;
    }

    /** mona (monitor) reports what the serving application saw answer. */
    public static ValidatableResponse observe(String name, String model, String fingerprint) {
        return observe(UUID.randomUUID().toString(), name, model, fingerprint);
    }

    public static ValidatableResponse observe(String signalId, String name, String model, String fingerprint) {
        return signal("""
                {"signalId": "%s", "type": "provider", "kind": "PROMPT", "name": "%s", "provider": "openai",
                 "model": "%s", "fingerprint": "%s", "source": "support-api serving log"}"""
                .formatted(signalId, name, model, fingerprint));
    }

    /** mona (monitor) reports a drift metric of (kind, name). */
    public static ValidatableResponse drift(String kind, String name, String metric, double value) {
        return signal("""
                {"signalId": "%s", "type": "drift", "kind": "%s", "name": "%s", "metric": "%s", "value": %s,
                 "source": "nightly drift job"}""".formatted(UUID.randomUUID(), kind, name, metric, value));
    }

    public static ValidatableResponse signal(String body) {
        return as("mona").contentType(ContentType.JSON).body(body).post("/api/v1/signals").then();
    }

    /** eve reports a re-evaluation's suite on the version in production. */
    public static ValidatableResponse reportAgain(String candidateId, String suite, double relevance, boolean passed) {
        return as("eve").contentType(ContentType.JSON)
                .body("{\"suite\": \"%s\", \"metrics\": {\"answer_relevance\": %s}, \"passed\": %s}"
                        .formatted(suite, relevance, passed))
                .post("/api/v1/candidates/" + candidateId + "/evaluations").then();
    }

    /** The re-evaluation as the API shows it. */
    public static ValidatableResponse reevaluation(String reevaluationId) {
        return as("audrey").get("/api/v1/reevaluations/" + reevaluationId).then().statusCode(200);
    }
}
