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
 * Demo data for a local run, loaded through the public API as the demo users would: one model in
 * production, one that failed its gates, and two waiting for approval (one of them submitted by
 * sam, who may approve others' candidates but never his own).
 */
final class DemoData {

    static final String SUMMARY = "fraud-scorer 1.3.0 in production; churn-model 2.1.0 failed its gates; "
            + "support-answer (PROMPT) 7 and ranking-model 0.9.0 await approval";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DemoData() {
    }

    static void load(String base) throws Exception {
        JsonNode inProduction = post(base, "/api/v1/candidates", "alice", model("fraud-scorer", "1.3.0", 0.91, 44.0, 'c'));
        post(base, "/api/v1/approvals/" + inProduction.path("approvals").path("taskId").asText() + "/decision", "bob",
                "{\"decision\": \"APPROVE\", \"comment\": \"Holdout AUC and latency within policy.\"}");
        post(base, "/api/v1/candidates", "eve", model("churn-model", "2.1.0", 0.74, 30.0, 'd'));
        post(base, "/api/v1/candidates", "sam", model("ranking-model", "0.9.0", 0.88, 72.0, 'e'));

        String prompt = """
                {"template": "You are a support agent. Answer using only the context.\\n{{context}}\\nQ: {{question}}",
                 "provider": "openai", "model": "gpt-4o-2024-08-06", "parameters": {"temperature": 0.1}}""";
        String digest = CanonicalJson.sha256(JSON.readTree(prompt));
        post(base, "/api/v1/candidates", "alice", """
                {"kind": "PROMPT", "name": "support-answer", "version": "7", "digest": "%s", "prompt": %s,
                 "metrics": {"answer_relevance": 0.86, "toxicity_rate": 0.002},
                 "labels": {"team": "support", "customer_facing": "true"},
                 "description": "Grounded answers only"}""".formatted(digest, prompt));
    }

    private static String model(String name, String version, double auc, double latency, char digestFill) {
        return """
                {"kind": "MODEL", "name": "%s", "version": "%s", "artifactUri": "s3://models/%s/%s",
                 "digest": "sha256:%s", "pipeline": "standard",
                 "metrics": {"auc": %s, "latency_p95_ms": %s}, "labels": {"team": "demo"}}"""
                .formatted(name, version, name, version, String.valueOf(digestFill).repeat(64), auc, latency);
    }

    private static JsonNode post(String base, String path, String user, String body) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Basic " + auth)
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
