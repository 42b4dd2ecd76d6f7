package dev.tollgate.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Tollgate's API as the demo users call it, on one running instance; any unexpected answer fails the test. */
final class Client {

    /** An answer: status and body. */
    record Reply(int status, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    Client(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    JsonNode get(String user, String path) {
        return expectSuccess("GET " + path, send(basic(user), "GET", path, null));
    }

    JsonNode post(String user, String path, String json) {
        return expectSuccess("POST " + path, send(basic(user), "POST", path, json));
    }

    /** A UI page's HTML, as {@code user} sees it after signing in with the login form. */
    String page(String user, String path) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        try {
            browser.send(HttpRequest.newBuilder(URI.create(baseUrl + "/j_security_check"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("j_username=" + user + "&j_password=demo")).build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                throw new AssertionError("GET " + path + " as " + user + " answered " + page.statusCode());
            }
            return page.body();
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("GET " + path + " was interrupted", e);
        }
    }

    Reply withToken(String token, String path) {
        return send("Bearer " + token, "GET", path, null);
    }

    String submit(String json) {
        return post("alice", "/api/v1/candidates", json).path("id").asText();
    }

    void report(String candidateId, String suite) {
        post("eve", "/api/v1/candidates/" + candidateId + "/evaluations",
                "{\"suite\": \"" + suite + "\", \"metrics\": {\"auc\": 0.93}, \"passed\": true}");
    }

    void deployed(String candidateId, String stage) {
        post("dave", "/api/v1/candidates/" + candidateId + "/deployments",
                "{\"stage\": \"" + stage + "\", \"outcome\": \"SUCCEEDED\", \"environment\": \"" + stage + "-upgrade\"}");
    }

    void approve(String user, String candidateId) {
        String task = get("audrey", "/api/v1/candidates/" + candidateId).path("approvals").path("taskId").asText();
        post(user, "/api/v1/approvals/" + task + "/decision", "{\"decision\": \"APPROVE\", \"comment\": \"upgrade\"}");
    }

    String stage(String candidateId) {
        return get("audrey", "/api/v1/candidates/" + candidateId).path("stage").asText();
    }

    /** Waits up to 20 s for the candidate to reach {@code stage}; fails with where it stands otherwise. */
    void awaitStage(String candidateId, String stage) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String now = stage(candidateId);
        while (!now.equals(stage) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = stage(candidateId);
        }
        if (!now.equals(stage)) {
            throw new AssertionError("Candidate " + candidateId + " is " + now + ", not " + stage);
        }
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }

    private Reply send(String authorization, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", authorization).header("Accept", "application/json");
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), body);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(method + " " + path + " was interrupted", e);
        }
    }

    private static JsonNode expectSuccess(String what, Reply reply) {
        if (reply.status() < 200 || reply.status() >= 300) {
            throw new AssertionError(what + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.body();
    }
}
