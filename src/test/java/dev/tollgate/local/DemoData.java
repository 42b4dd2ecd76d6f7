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
 * Demo data for a local run (and the browser tests), loaded through the public API as the demo
 * users and the systems around Tollgate would: a model and a prompt in production, one model that
 * failed its gates, two candidates waiting for approval (one of them submitted by sam, who may
 * approve others' candidates but never his own; the other a new version of the prompt in
 * production, so its task page shows a diff), and one waiting for its evaluation report. The prompt in production
 * was evaluated with a known provider snapshot (gpt-4o-2024-05-13, fingerprint fp_44709d6fcb): the one curl of
 * docs/drift.md reports another fingerprint and starts its re-evaluation.
 */
public final class DemoData {

    public static final String SUMMARY = "fraud-scorer and support-answer registered and classified in the inventory; "
            + "fraud-scorer 1.3.0 and support-answer (PROMPT) 6 in production; "
            + "churn-model 2.1.0 failed its gates; support-answer 7 and ranking-model 0.9.0 await approval; "
            + "search-ranker 3.0.0 awaits evaluation; docs/drift.md's curl re-evaluates support-answer 6";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DemoData() {
    }

    public static void load(String base) throws Exception {
        registered(base, "MODEL", "fraud-scorer", "payments-ml", "Scores card payments for fraud before authorization.",
                "{\"customerFacing\": false, \"personalData\": true, \"regulatedUse\": false, \"autonomy\": \"SUPERVISED\"}",
                "Payment data of customers; analysts review every decline before it is final.");
        // The prompt pipeline owns customer_facing and handles_pii: support-answer's come from here, not its labels.
        registered(base, "PROMPT", "support-answer", "customer-support", "Answers customers' questions in the help chat.",
                "{\"customerFacing\": true, \"personalData\": true, \"regulatedUse\": false, \"autonomy\": \"NONE\"}",
                "Customers write account details into the chat; a person can take over any conversation.");
        String inProduction = staged(base, "alice", model("fraud-scorer", "1.3.0", 0.91, 44.0, 'c'), "offline-eval");
        JsonNode candidate = get(base, "/api/v1/candidates/" + inProduction);
        post(base, "/api/v1/approvals/" + candidate.path("approvals").path("taskId").asText() + "/decision", "bob",
                "{\"decision\": \"APPROVE\", \"comment\": \"Holdout AUC and latency within policy.\"}");
        deployed(base, inProduction, "production");

        String failed = post(base, "/api/v1/candidates", "alice", model("churn-model", "2.1.0", 0.74, 30.0, 'd'))
                .path("id").asText();
        report(base, failed, "offline-eval", "{\"auc\": 0.74}");
        staged(base, "sam", model("ranking-model", "0.9.0", 0.88, 72.0, 'e'), "offline-eval");
        post(base, "/api/v1/candidates", "alice", model("search-ranker", "3.0.0", 0.86, 55.0, 'f'));

        String servingPrompt = prompt(base, "6", """
                {"template": "You are a support agent. Be friendly.\\n{{context}}\\nQ: {{question}}",
                 "provider": "openai", "model": "gpt-4o-2024-05-13", "parameters": {"temperature": 0.3}}""",
                0.84, 0.004, "fp_44709d6fcb", "First grounded prompt");
        JsonNode served = get(base, "/api/v1/candidates/" + servingPrompt);
        // The inventory says support-answer is customer-facing and handles personal data: HIGH risk, an approver and a
        // risk officer.
        String servedTask = "/api/v1/approvals/" + served.path("approvals").path("taskId").asText() + "/decision";
        post(base, servedTask, "bob", "{\"decision\": \"APPROVE\", \"comment\": \"Answers read well.\"}");
        post(base, servedTask, "rita", "{\"decision\": \"APPROVE\", \"comment\": \"Golden set and safety suites pass.\"}");
        deployed(base, servingPrompt, "production");
        prompt(base, "7", """
                {"template": "You are a support agent. Be friendly.\\nAnswer using only the context; say so when it does not cover the question.\\n{{context}}\\nQ: {{question}}",
                 "provider": "openai", "model": "gpt-4o-2024-08-06", "parameters": {"temperature": 0.1}}""",
                0.87, 0.001, "fp_c4e3b2a190", "Grounded answers only: refuses when the context is silent");
    }

    /** An inventory entry, registered by the admin and classified by rita, the risk officer. */
    private static void registered(String base, String kind, String name, String owner, String use,
                                   String classification, String reason) throws Exception {
        post(base, "/api/v1/inventory", "admin", """
                {"kind": "%s", "name": "%s", "ownerTeam": "%s", "intendedUse": "%s",
                 "documentation": "https://wiki.example.com/models/%s"}""".formatted(kind, name, owner, use, name));
        String body = classification.substring(0, classification.length() - 1) + ", \"reason\": \"" + reason + "\"}";
        send("PUT", base, "/api/v1/inventory/" + kind + "/" + name + "/classification", "rita", body);
    }

    /** A support-answer PROMPT, through both suites and staging. */
    private static String prompt(String base, String version, String prompt, double relevance, double toxicity,
                                 String fingerprint, String description) throws Exception {
        String digest = CanonicalJson.sha256(JSON.readTree(prompt));
        String id = post(base, "/api/v1/candidates", "alice", """
                {"kind": "PROMPT", "name": "support-answer", "version": "%s", "digest": "%s", "prompt": %s,
                 "metrics": {"answer_relevance": %s, "toxicity_rate": %s},
                 "labels": {"team": "support", "customer_facing": "true"},
                 "description": "%s"}""".formatted(version, digest, prompt, relevance, toxicity, description))
                .path("id").asText();
        // What answered during the evaluation, as the evaluator's harness saw it: the snapshot version 6 is pinned to
        // once it serves, so that docs/drift.md's observation of another fingerprint starts a re-evaluation.
        post(base, "/api/v1/candidates/" + id + "/evaluations", "eve", """
                {"suite": "golden-set", "metrics": {"answer_relevance": %s}, "passed": true,
                 "observed": {"provider": "openai", "model": %s, "fingerprint": "%s"}}"""
                .formatted(relevance, JSON.readTree(prompt).path("model").toString(), fingerprint));
        report(base, id, "safety", "{\"toxicity_rate\": " + toxicity + "}");
        deployed(base, id, "staging");
        return id;
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
        return send("POST", base, path, user, body);
    }

    private static JsonNode send(String method, String base, String path, String user, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", basic(user))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("Loading demo data failed: " + method + " " + path + " as " + user
                    + " answered " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
