package dev.tollgate.bench;

import static io.restassured.RestAssured.given;

import dev.tollgate.events.EventTypes;
import dev.tollgate.local.LocalServices;
import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.Submissions;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Approve → {@code approved} event latency under a steady load of decisions ({@code mvn -Pbench}).
 *
 * <p>It starts PostgreSQL, Kafka and the packaged application, brings {@code tollgate.bench.decisions}
 * candidates (600) to AWAITING_APPROVAL, then sends one approval every 1/{@code tollgate.bench.rate}
 * seconds (20/s) from a scheduler, whatever the server's pace, while a plain Kafka consumer
 * timestamps each {@code approved} event. Latency is from just before the decision request is sent
 * to the consumer's receipt of its event. Prints p50, p90, p99 and max; docs/events.md keeps them.
 */
public final class ApprovalLatencyBenchmark {

    private ApprovalLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int decisions = Integer.getInteger("tollgate.bench.decisions", 600);
        int rate = Integer.getInteger("tollgate.bench.rate", 20);
        try (LocalServices services = LocalServices.startTemporary();
             AppProcess app = AppProcess.start(AppProcess.withoutRateLimits(services.config()))) {
            System.out.printf("[bench] preparing %d candidates at AWAITING_APPROVAL%n", decisions);
            List<String[]> tasks = new ArrayList<>();
            for (int i = 0; i < decisions; i++) {
                String name = Submissions.uniqueName("bench");
                String id = as(app, "alice").contentType(ContentType.JSON).body(Submissions.model(name, "1.0.0"))
                        .post("/api/v1/candidates").then().statusCode(201).extract().path("id");
                as(app, "eve").contentType(ContentType.JSON).body("{\"suite\": \"offline-eval\"}")
                        .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);
                as(app, "dave").contentType(ContentType.JSON).body("{\"stage\": \"staging\", \"outcome\": \"SUCCEEDED\"}")
                        .post("/api/v1/candidates/" + id + "/deployments").then().statusCode(200);
                String task = as(app, "audrey").get("/api/v1/candidates/" + id).then().extract().path("approvals.taskId");
                tasks.add(new String[] {id, task});
            }

            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, Long> receivedAt = new ConcurrentHashMap<>();
            Thread consumer = new Thread(() -> consume(services.config().get(LocalServices.KAFKA), receivedAt, decisions));
            consumer.start();
            Thread.sleep(3000); // let the consumer get its partitions and reach the end of the topic

            System.out.printf("[bench] sending %d approvals at %d/s%n", decisions, rate);
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            long periodNanos = 1_000_000_000L / rate;
            for (int i = 0; i < decisions; i++) {
                String[] t = tasks.get(i);
                clock.schedule(() -> senders.submit(() -> {
                    sentAt.put(t[0], System.nanoTime());
                    as(app, byBob(t) ? "bob" : "carol").contentType(ContentType.JSON)
                            .body("{\"decision\": \"APPROVE\", \"comment\": \"bench\"}")
                            .post("/api/v1/approvals/" + t[1] + "/decision").then().statusCode(200);
                }), i * periodNanos, TimeUnit.NANOSECONDS);
            }
            consumer.join(TimeUnit.SECONDS.toMillis(decisions / rate + 60));
            clock.shutdown();
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);

            List<Double> latencies = new ArrayList<>();
            for (var entry : receivedAt.entrySet()) {
                Long sent = sentAt.get(entry.getKey());
                if (sent != null) {
                    latencies.add((entry.getValue() - sent) / 1e6);
                }
            }
            Collections.sort(latencies);
            System.out.printf("[bench] RESULT decisions=%d rate=%d/s received=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms%n",
                    decisions, rate, latencies.size(), pct(latencies, 50), pct(latencies, 90), pct(latencies, 99),
                    latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));
        }
    }

    /** Spreads the approvals over two approvers. */
    private static boolean byBob(String[] t) {
        return t[0].hashCode() % 2 == 0;
    }

    private static void consume(String bootstrap, Map<String, Long> receivedAt, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", "false");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(EventTypes.PROMOTIONS_TOPIC, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (receivedAt.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    var type = record.headers().lastHeader("ce_type");
                    if (type != null && EventTypes.APPROVED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
                        receivedAt.putIfAbsent(new String(record.headers().lastHeader("ce_subject").value(),
                                StandardCharsets.UTF_8), System.nanoTime());
                    }
                }
            }
        }
    }

    private static double pct(List<Double> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static RequestSpecification as(AppProcess app, String user) {
        return given().baseUri("http://localhost").port(app.port()).auth().preemptive().basic(user, "demo")
                .accept(ContentType.JSON);
    }
}
