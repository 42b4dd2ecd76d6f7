package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.shared.CanonicalJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Demo data for a local run, loaded through the public API as the demo users and the systems
 * around Tollgate would: one model in production, one that failed its gates, two waiting for
 * approval (one of them submitted by sam, who may approve others' candidates but never his own),
 * and one waiting for its evaluation report.
 */
final class DemoData {

    static final String SUMMARY = "fraud-scorer 1.3.0 in production; churn-model 2.1.0 failed its gates; "
            + "support-answer (PROMPT) 7 and ranking-model 0.9.0 await approval; search-ranker 3.0.0 awaits evaluation";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DemoData() {
    }

    static void load(String base) throws Exception {
        String inProduction = staged(base, "alice", model("fraud-scorer", "1.3.0", 0.91, 44.0, 'c'), "offline-eval");
        JsonNode candidate = get(base, "/api/v1/candidates/" + inProduction);
        post(base, "/api/v1/approvals/" + candidate.path("approvals").path("taskId").asText() + "/decision", "bob",
                "{\"decision\": \"APPROVE\", \"comment\": \"Holdout AUC and latency within policy.\"}");
        deployed(base, inProduction, "production");

        String failed = post(base, "/api/v1/candidates", "eve", model("churn-model", "2.1.0", 0.74, 30.0, 'd'))
                .path("id").asText();
        report(base, failed, "offline-eval", "{\"auc\": 0.74}");
        staged(base, "sam", model("ranking-model", "0.9.0", 0.88, 72.0, 'e'), "offline-eval");
        post(base, "/api/v1/candidates", "alice", model("search-ranker", "3.0.0", 0.86, 55.0, 'f'));

        String prompt = """
                {"template": "You are a support agent. Answer using only the context.\\n{{context}}\\nQ: {{question}}",
                 "provider": "openai", "model": "gpt-4o-2024-08-06", "parameters": {"temperature": 0.1}}""";
        String digest = CanonicalJson.sha256(JSON.readTree(prompt));
        String promptId = post(base, "/api/v1/candidates", "alice", """
                {"kind": "PROMPT", "name": "support-answer", "version": "7", "digest": "%s", "prompt": %s,
                 "metrics": {"answer_relevance": 0.86, "toxicity_rate": 0.002},
                 "labels": {"team": "support", "customer_facing": "true"},
                 "description": "Grounded answers only"}""".formatted(digest, prompt)).path("id").asText();
        report(base, promptId, "golden-set", "{\"answer_relevance\": 0.87}");
        report(base, promptId, "safety", "{\"toxicity_rate\": 0.001}");
        deployed(base, promptId, "staging");
    }

    /** Submits, reports the suite as eve (evaluator) and the staging deployment as dave (deployer). */
    private static String staged(String base, String user, String body, String suite) throws Exception {
        String id = post(base, "/api/v1/candidates", user, body).path("id").asText();
        report(base, id, suite, "{}");
        deployed(base, id, "staging");
        return id;
    }

    private static void report(String base, String id, String suite, String metrics) throws Exception {
        post(base, "/api/v1/candidates/" + id + "/evaluations", "eve",
                "{\"suite\": \"" + suite + "\", \"metrics\": " + metrics + ", \"passed\": true}");
    }

    private static void deployed(String base, String id, String stage) throws Exception {
        post(base, "/api/v1/candidates/" + id + "/deployments", "dave",
                "{\"stage\": \"" + stage + "\", \"outcome\": \"SUCCEEDED\", \"environment\": \"" + stage + "-local\"}");
    }

    private static JsonNode get(String base, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic("audrey")).GET()
                .build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }

    private static String model(String name, String version, double auc, double latency, char digestFill) {
        return """
                {"kind": "MODEL", "name": "%s", "version": "%s", "artifactUri": "s3://models/%s/%s",
                 "digest": "sha256:%s", "pipeline": "standard",
                 "metrics": {"auc": %s, "latency_p95_ms": %s}, "labels": {"team": "demo"}}"""
                .formatted(name, version, name, version, String.valueOf(digestFill).repeat(64), auc, latency);
    }

    private static JsonNode post(String base, String path, String user, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", basic(user))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("Loading demo data failed: POST " + path + " as " + user + " answered "
                    + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
