package dev.tollgate.notify;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks (docs/governance.md, "Notifications"): an event a webhook wants is POSTed to it once its change committed,
 * signed with HMAC-SHA256 under the webhook's secret, and tried again after an error until the receiver takes it.
 * The receiver here is a real HTTP server.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class WebhooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_test_0123456789abcdef";

    private record Received(Map<String, List<String>> headers, String body, int answered) {
    }

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** The receiver's answers, in turn; 200 once they run out. */
    private final List<Integer> answers = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            int call = calls.getAndIncrement();
            int status = call < answers.size() ? answers.get(call) : 200;
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private String webhook(String body) {
        return as("admin").contentType(ContentType.JSON).body(body).post("/api/v1/admin/webhooks").then()
                .statusCode(201).extract().path("webhook.id");
    }

    @Test
    void aPendingApprovalIsDeliveredSignedAndRetriedAfterA500() throws Exception {
        answers.add(500);
        String hook = webhook("""
                {"name": "approvers-channel", "url": "%s", "secret": "%s",
                 "eventTypes": ["%s"], "pipelines": ["standard"]}""".formatted(url(), SECRET, EventTypes.APPROVAL_REQUESTED));

        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("notified"), "1.0.0"));

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);
        assertThat(received.get(0).answered()).isEqualTo(500);
        Received delivered = received.get(1);
        assertThat(delivered.body()).as("the retry sends the same body").isEqualTo(received.get(0).body());
        JsonNode event = JSON.readTree(delivered.body());
        assertThat(event.path("type").asText()).isEqualTo(EventTypes.APPROVAL_REQUESTED);
        assertThat(event.path("data").path("candidateId").asText()).isEqualTo(id);
        assertThat(header(delivered, "X-tollgate-signature-256"))
                .isEqualTo(WebhookSender.signature(SECRET, delivered.body()))
                .isNotEqualTo(WebhookSender.signature("another secret, another signature", delivered.body()));
        assertThat(header(delivered, "X-tollgate-event")).isEqualTo(EventTypes.APPROVAL_REQUESTED);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                as("admin").get("/api/v1/admin/webhooks/" + hook + "/deliveries").then().statusCode(200)
                        .body("[0].status", equalTo("DELIVERED"))
                        .body("[0].attempts", equalTo(2))
                        .body("[0].lastStatusCode", equalTo(200)));
        as("admin").delete("/api/v1/admin/webhooks/" + hook).then().statusCode(200);
    }

    @Test
    void aWebhookGetsOnlyItsPipelinesAndASlackFormatIsOneLine() throws Exception {
        String elsewhere = webhook("""
                {"name": "prompts-only", "url": "%s", "secret": "%s", "pipelines": ["prompt"]}""".formatted(url(), SECRET));
        String slack = webhook("""
                {"name": "ops", "url": "%s", "secret": "%s", "format": "SLACK", "eventTypes": ["dev.tollgate.line.*"]}"""
                .formatted(url(), SECRET));

        Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("not-for-prompts"), "1.0.0"));
        as("rita").contentType(ContentType.JSON).body("{\"reason\": \"webhook drill\"}").post("/api/v1/line/stop")
                .then().statusCode(200);
        as("rita").contentType(ContentType.JSON).body("{\"reason\": \"drill over\"}").post("/api/v1/line/restart")
                .then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);
        assertThat(received).extracting(Received::body).allSatisfy(body ->
                assertThat(JSON.readTree(body).path("text").asText()).startsWith("Tollgate: *line."));
        assertThat(JSON.readTree(received.get(0).body()).path("text").asText())
                .isEqualTo("Tollgate: *line.stopped*: webhook drill");
        as("admin").get("/api/v1/admin/webhooks/" + elsewhere + "/deliveries").then().statusCode(200)
                .body("size()", equalTo(0));
        as("admin").delete("/api/v1/admin/webhooks/" + elsewhere).then().statusCode(200);
        as("admin").delete("/api/v1/admin/webhooks/" + slack).then().statusCode(200);
    }

    @Test
    void onlyAdminsRegisterWebhooksAndTheSecretIsShownOnce() {
        as("rita").contentType(ContentType.JSON).body("{\"name\": \"x\", \"url\": \"https://example.com/h\"}")
                .post("/api/v1/admin/webhooks").then().statusCode(403);
        as("admin").contentType(ContentType.JSON).body("""
                        {"name": " ", "url": "ftp://example.com", "secret": "short", "format": "XML",
                         "eventTypes": ["something.else"]}""")
                .post("/api/v1/admin/webhooks").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("name", "url", "secret", "format", "eventTypes"));
        String id = as("admin").contentType(ContentType.JSON).body("{\"name\": \"x\", \"url\": \"https://example.com/h\"}")
                .post("/api/v1/admin/webhooks").then().statusCode(201)
                .body("secret", notNullValue())
                .body("webhook.eventTypes", hasItem(EventTypes.APPROVAL_REQUESTED))
                .extract().path("webhook.id");
        as("admin").get("/api/v1/admin/webhooks").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.secret", org.hamcrest.Matchers.nullValue());
        as("admin").delete("/api/v1/admin/webhooks/" + id).then().statusCode(200);
    }

    private static String header(Received received, String name) {
        return received.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
}
