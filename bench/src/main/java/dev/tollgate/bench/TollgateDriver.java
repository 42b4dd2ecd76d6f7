package dev.tollgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Drives a running Tollgate the way its users do: a CI job submits over REST; an evaluator, a deployer
 * and an approver each act when the CloudEvent that concerns them arrives on {@code tollgate.promotions}
 * (nobody polls). Every step's HTTP latency is recorded, and so is the time from an approval's request
 * to its {@code approval.granted} event at this consumer.
 */
final class TollgateDriver implements AutoCloseable {

    static final String PREFIX = "dev.tollgate.promotion.";
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    record Event(String type, String subject, JsonNode data, long arrivedNanos) {
    }

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, CompletableFuture<Event>> awaited = new ConcurrentHashMap<>();
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final Thread consumer;
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();

    final Stats submit = new Stats("submit (POST /candidates)");
    final Stats report = new Stats("evaluation report (POST)");
    final Stats staging = new Stats("staging result (POST)");
    final Stats vote = new Stats("vote (POST decision)");
    final Stats granted = new Stats("vote -> approval.granted at consumer");
    final Stats production = new Stats("production result (POST)");
    final Stats promotion = new Stats("submit -> promoted at consumer");
    final Stats benchSubmit = new Stats("submit, bench pipeline (POST)");
    final Stats benchVote = new Stats("vote (POST decision)");
    final Stats benchProduction = new Stats("production result (POST)");
    final Stats cycle = new Stats("submit -> promoted at consumer");

    TollgateDriver(String baseUrl, String bootstrap) throws Exception {
        this.baseUrl = baseUrl;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tollgate-bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        consumer = new Thread(() -> consume(props), "bench-events");
        consumer.setDaemon(true);
        consumer.start();
        assigned.get(60, TimeUnit.SECONDS);
    }

    private void consume(Properties props) {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            kafka.subscribe(List.of("tollgate.promotions"));
            while (consuming.get()) {
                var records = kafka.poll(Duration.ofMillis(50));
                if (!kafka.assignment().isEmpty() && !assigned.isDone()) {
                    kafka.seekToEnd(kafka.assignment());
                    kafka.assignment().forEach(kafka::position); // resolve the end now, before anyone submits
                    assigned.complete(null);
                    continue;
                }
                long now = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    String type = header(record, "ce_type");
                    String subject = header(record, "ce_subject");
                    if (type == null || subject == null || !type.startsWith(PREFIX)) {
                        continue;
                    }
                    JsonNode data = json.readTree(record.value());
                    String key = key(subject, type.substring(PREFIX.length()), data.path("stage").asText(""));
                    awaited.computeIfAbsent(key, k -> new CompletableFuture<>())
                            .complete(new Event(type, subject, data, now));
                }
            }
        } catch (Exception e) {
            assigned.completeExceptionally(e);
            System.err.println("event consumer stopped: " + e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String key(String candidate, String type, String stage) {
        return candidate + "|" + type + ("deploying".equals(type) ? "|" + stage : "");
    }

    Event await(String candidate, String type, String stage) throws Exception {
        String key = key(candidate, type, stage);
        CompletableFuture<Event> future = awaited.computeIfAbsent(key, k -> new CompletableFuture<>());
        try {
            return future.get(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            awaited.remove(key);
        }
    }

    /**
     * The audit sealing lag the application reports on /q/metrics (as the monitor, mona): p50, p99 and max in
     * milliseconds, over the meter's recent window; null when the metric cannot be read.
     */
    static double[] sealingLagMillis(String baseUrl) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics"))
                .header("Authorization", basic("mona")).header("Accept", "text/plain")
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return null;
        }
        double[] lag = {Double.NaN, Double.NaN, Double.NaN};
        for (String line : response.body().split("\n")) {
            if (!line.startsWith("tollgate_audit_sealing_lag_seconds")) {
                continue;
            }
            double millis = 1000 * Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.contains("quantile=\"0.5\"")) {
                lag[0] = millis;
            } else if (line.contains("quantile=\"0.99\"")) {
                lag[1] = millis;
            } else if (line.startsWith("tollgate_audit_sealing_lag_seconds_max")) {
                lag[2] = millis;
            }
        }
        return lag;
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }

    JsonNode post(String user, String path, String body, int expected, Stats stats) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", basic(user))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        stats.record(System.nanoTime() - start);
        if (response.statusCode() == 429) {
            throw new IllegalStateException(path + " answered 429: this Tollgate's per-caller rate limit is lower than the"
                    + " load; the local run (mvn -Prun) allows 5,000/s, elsewhere set TOLLGATE_RATE_LIMIT_API_PER_SECOND"
                    + " and TOLLGATE_RATE_LIMIT_API_BURST (docs/benchmarks.md)");
        }
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
    }

    static String candidate(String name, String pipeline) {
        return """
                {"kind": "MODEL", "name": "%s", "version": "1.0.0", "artifactUri": "s3://bench/%s/1.0.0",
                 "digest": "sha256:%s", "pipeline": "%s", "metrics": {"auc": 0.93, "latency_p95_ms": 41},
                 "labels": {"team": "bench", "customer_facing": "true", "handles_pii": "false"}}"""
                .formatted(name, name, "ab".repeat(32), pipeline);
    }

    /** One submission; returns the candidate's id. */
    String submitOne(String name, String pipeline) throws Exception {
        return submitOne(name, pipeline, submit);
    }

    private String submitOne(String name, String pipeline, Stats stats) throws Exception {
        return post("alice", "/api/v1/candidates", candidate(name, pipeline), 201, stats).path("id").asText();
    }

    /** One whole promotion of the standard pipeline, each actor reacting to its event. */
    void promoteOne(String name) throws Exception {
        long start = System.nanoTime();
        String id = submitOne(name, "standard");
        report(id);
        String task = staging(id);
        long voted = System.nanoTime();
        voteOn(id, task);
        granted.record(await(id, "approval.granted", "").arrivedNanos() - voted);
        production(id);
        promotion.record(await(id, "promoted", "").arrivedNanos() - start);
    }

    /** The evaluator: reports the suite once evaluation has started. */
    void report(String id) throws Exception {
        await(id, "evaluation.started", "");
        post("eve", "/api/v1/candidates/" + id + "/evaluations",
                "{\"suite\": \"offline-eval\", \"metrics\": {\"auc\": 0.93}, \"passed\": true}", 201, report);
    }

    /** The deployer: reports staging deployed once it is asked; returns the approval task that opens. */
    String staging(String id) throws Exception {
        await(id, "deploying", "staging");
        post("dave", "/api/v1/candidates/" + id + "/deployments",
                "{\"stage\": \"staging\", \"outcome\": \"SUCCEEDED\", \"environment\": \"staging-eu-1\"}", 200, staging);
        return await(id, "approval.requested", "").data().path("taskId").asText();
    }

    /** The approver. */
    void voteOn(String id, String task) throws Exception {
        post("bob", "/api/v1/approvals/" + task + "/decision", "{\"decision\": \"APPROVE\", \"comment\": \"bench\"}",
                200, vote);
    }

    /** The deployer: reports production deployed once it is asked, and waits for the promotion. */
    void production(String id) throws Exception {
        await(id, "deploying", "production");
        post("dave", "/api/v1/candidates/" + id + "/deployments",
                "{\"stage\": \"production\", \"outcome\": \"SUCCEEDED\", \"environment\": \"prod-eu-1\"}", 200, production);
    }

    /**
     * One cycle of the {@code bench} pipeline, the peers' work: submit with metrics (the threshold gate
     * runs at once), vote on the approval task when it is requested, report the production result when
     * production is asked for.
     */
    void benchCycle(String name) throws Exception {
        long start = System.nanoTime();
        String id = submitOne(name, "bench", benchSubmit);
        String task = await(id, "approval.requested", "").data().path("taskId").asText();
        post("bob", "/api/v1/approvals/" + task + "/decision", "{\"decision\": \"APPROVE\", \"comment\": \"bench\"}",
                200, benchVote);
        await(id, "deploying", "production");
        post("dave", "/api/v1/candidates/" + id + "/deployments",
                "{\"stage\": \"production\", \"outcome\": \"SUCCEEDED\", \"environment\": \"prod-eu-1\"}", 200,
                benchProduction);
        cycle.record(await(id, "promoted", "").arrivedNanos() - start);
    }

    /** A candidate of the bench pipeline waiting for its approval; returns its task id. */
    String awaitingApproval(String name) throws Exception {
        String id = submitOne(name, "bench", benchSubmit);
        return id + " " + await(id, "approval.requested", "").data().path("taskId").asText();
    }

    /**
     * Sends one approval without waiting for the answer, and records the time from sending it until its
     * {@code approval.granted} event reached this consumer.
     */
    CompletableFuture<Void> voteAsync(String candidateAndTask, Stats eventLatency, Stats httpLatency) {
        String[] parts = candidateAndTask.split(" ");
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/approvals/" + parts[1] + "/decision"))
                .header("Authorization", basic("bob"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"decision\": \"APPROVE\", \"comment\": \"paced\"}")).build();
        String key = key(parts[0], "approval.granted", "");
        CompletableFuture<Event> granted = awaited.computeIfAbsent(key, k -> new CompletableFuture<>());
        long sent = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            httpLatency.record(System.nanoTime() - sent);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("vote answered " + response.statusCode() + ": " + response.body());
            }
            return granted.orTimeout(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }).thenAccept(event -> {
            eventLatency.record(event.arrivedNanos() - sent);
            awaited.remove(key);
        });
    }

    @Override
    public void close() throws InterruptedException {
        consuming.set(false);
        consumer.join(5000);
    }
}
