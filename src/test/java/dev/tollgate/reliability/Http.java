package dev.tollgate.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;

/** Calls Tollgate's API as a demo user; a failed connection (a killed instance) is status -1, never an exception. */
final class Http {

    /** A response, or {@code status == -1} when none came. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String text(String field) {
            JsonNode value = body == null ? null : body.path(field);
            return value == null || value.isMissingNode() || value.isNull() ? null : value.asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<String> base;
    /** How many answers of each status came, -1 for none (a connection refused or cut). */
    final java.util.concurrent.ConcurrentMap<Integer, java.util.concurrent.atomic.AtomicLong> statuses =
            new java.util.concurrent.ConcurrentHashMap<>();

    Http(Supplier<String> base) {
        this.base = base;
    }

    Reply get(String user, String path) {
        return send(user, "GET", path, null, null);
    }

    Reply post(String user, String path, String json) {
        return send(user, "POST", path, json, null);
    }

    Reply post(String user, String path, String json, String idempotencyKey) {
        return send(user, "POST", path, json, idempotencyKey);
    }

    private void count(int status) {
        statuses.computeIfAbsent(status, s -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }

    /** Answers with status 500 (an unexpected failure rather than 503, "unavailable, nothing changed"). */
    long internalErrors() {
        java.util.concurrent.atomic.AtomicLong count = statuses.get(500);
        return count == null ? 0 : count.get();
    }

    private Reply send(String user, String method, String path, String json, String idempotencyKey) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.get() + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json")
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            if (json == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = response.body().length == 0 ? null : JSON.readTree(response.body());
            count(response.statusCode());
            return new Reply(response.statusCode(), body);
        } catch (IOException e) {
            count(-1);
            return new Reply(-1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, null);
        }
    }
}
