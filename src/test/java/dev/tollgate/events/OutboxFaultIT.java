package dev.tollgate.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.local.LocalServices;
import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TestServices;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay's take-over, with the packaged application, a real PostgreSQL and a real Kafka: the
 * active relay's instance is killed while a second instance stands by. It prints a FAULT line with its
 * figures; docs/events.md records the last ones. The broker outage and the SIGKILLs under load are in
 * the reliability suite (ReliabilityIT, docs/reliability.md).
 */
class OutboxFaultIT {

    private static TestServices services;

    @BeforeAll
    static void startServices() throws Exception {
        services = TestServices.start();
    }

    @AfterAll
    static void stopServices() throws Exception {
        services.close();
    }

    @Test
    void standbyInstanceTakesOverTheRelayWithinSeconds() throws Exception {
        try (AppProcess first = AppProcess.start(services.config()); AppProcess second = AppProcess.start(services.config())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> activeRelay(first) ^ activeRelay(second));
            AppProcess active = activeRelay(first) ? first : second;
            AppProcess standby = active == first ? second : first;
            assertThat(activeRelay(standby)).isFalse();

            long killedAt = System.nanoTime();
            active.kill();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> activeRelay(standby));
            long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            String id = promote(standby, "takeover");
            Check check = verify(standby, List.of(id), Duration.ofSeconds(30));
            long publishedMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("FAULT takeover: takeoverMs=%d firstEventAfterKillMs=%d%n", takeoverMs, publishedMs);
            assertThat(check.missing).isZero();
            assertThat(takeoverMs).isLessThan(15_000);
        }
    }

    // --- traffic ---------------------------------------------------------------------------------

    /** One promotion's first steps: submit, and the evaluation report that moves it to staging (5 events). */
    private static String promote(AppProcess app, String prefix) {
        String body = Submissions.model(Submissions.uniqueName(prefix), "1.0.0");
        String id = as(app, "alice").contentType(ContentType.JSON).body(body).post("/api/v1/candidates").then()
                .statusCode(201).extract().path("id");
        as(app, "eve").contentType(ContentType.JSON).body("{\"suite\": \"offline-eval\", \"metrics\": {\"auc\": 0.93}}")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);
        return id;
    }

    private static boolean activeRelay(AppProcess app) {
        try {
            JsonPath health = given().baseUri("http://localhost").port(app.port()).get("/q/health/ready").jsonPath();
            return Boolean.TRUE.equals(health.get("checks.find { it.name == 'outbox' }.data.activeRelayHere"));
        } catch (RuntimeException down) {
            return false;
        }
    }

    // --- verification ----------------------------------------------------------------------------

    private record Check(int committed, int received, int duplicates, int missing, int phantoms, int reordered) {
    }

    /**
     * Compares what committed (each candidate's history, from the API) with what reached Kafka:
     * every committed transition has its event (missing = 0), every event is a committed transition
     * with the same type and sequence (phantoms = 0), and per candidate the first copies arrive in
     * sequence order (reordered = 0). Copies with an already seen ce_id are the duplicates that
     * at-least-once delivery allows.
     */
    private static Check verify(AppProcess app, List<String> ids, Duration timeout) {
        Map<String, Map<Integer, String>> committed = new HashMap<>();
        int committedCount = 0;
        for (String id : ids) {
            List<Map<String, Object>> history = as(app, "audrey").get("/api/v1/candidates/" + id + "/history")
                    .then().statusCode(200).extract().path("");
            Map<Integer, String> bySeq = new LinkedHashMap<>();
            history.forEach(h -> bySeq.put((Integer) h.get("seq"), (String) h.get("type")));
            committed.put(id, bySeq);
            committedCount += bySeq.size();
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", services.config().get(LocalServices.KAFKA));
        props.put("enable.auto.commit", "false");
        Map<String, List<String[]>> received = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int total = 0;
        int duplicates = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(EventTypes.PROMOTIONS_TOPIC, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline && !complete(committed, received)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    String subject = header(record, "ce_subject");
                    if (!committed.containsKey(subject)) {
                        continue;
                    }
                    total++;
                    if (!seen.add(header(record, "ce_id"))) {
                        duplicates++;
                        continue;
                    }
                    received.computeIfAbsent(subject, s -> new ArrayList<>())
                            .add(new String[] {header(record, "ce_sequence"), header(record, "ce_type")});
                }
            }
        }
        int missing = 0;
        int phantoms = 0;
        int reordered = 0;
        for (var entry : committed.entrySet()) {
            List<String[]> events = received.getOrDefault(entry.getKey(), List.of());
            int previous = 0;
            Set<Integer> got = new HashSet<>();
            for (String[] event : events) {
                int seq = Integer.parseInt(event[0]);
                if (!event[1].equals(entry.getValue().get(seq))) {
                    phantoms++;
                }
                if (seq <= previous) {
                    reordered++;
                }
                previous = seq;
                got.add(seq);
            }
            missing += (int) entry.getValue().keySet().stream().filter(seq -> !got.contains(seq)).count();
        }
        return new Check(committedCount, total, duplicates, missing, phantoms, reordered);
    }

    private static boolean complete(Map<String, Map<Integer, String>> committed, Map<String, List<String[]>> received) {
        for (var entry : committed.entrySet()) {
            if (received.getOrDefault(entry.getKey(), List.of()).size() < entry.getValue().size()) {
                return false;
            }
        }
        return true;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static io.restassured.specification.RequestSpecification as(AppProcess app, String user) {
        return given().baseUri("http://localhost").port(app.port()).auth().preemptive().basic(user, "demo")
                .accept(ContentType.JSON);
    }
}
