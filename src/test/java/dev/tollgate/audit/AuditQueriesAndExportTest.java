package dev.tollgate.audit;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.SealingPaused;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AuditQueriesAndExportTest {

    @Test
    void auditorSearchesBySubjectActorAndTypeWithKeysetPaging() {
        String id = Promotions.toProduction(Submissions.model(Submissions.uniqueName("search"), "1.0.0"));

        var first = as("audrey").queryParam("subject", id).queryParam("limit", 5).get("/api/v1/audit").then()
                .statusCode(200)
                .body("items.size()", equalTo(5))
                .body("items[0].action", equalTo("submitted"))
                .body("items[0].actor", equalTo("alice"))
                .body("next", notNullValue())
                .extract();
        as("audrey").queryParam("subject", id).queryParam("cursor", (String) first.path("next")).get("/api/v1/audit")
                .then().body("items.size()", equalTo(7)).body("items[-1].action", equalTo("promoted"));
        as("audrey").queryParam("actor", "bob").queryParam("type", "approval.granted").queryParam("limit", 1000)
                .get("/api/v1/audit").then().body("items.actor", everyItem(equalTo("bob")))
                .body("items.subject", hasItem(id));
        as("mona").get("/api/v1/audit").then().statusCode(403);
        as("audrey").queryParam("from", "last week").get("/api/v1/audit").then().statusCode(400);
    }

    @Test
    void productionAtAnInstantComesWithTheEntriesThatLedToIt() {
        String name = Submissions.uniqueName("what-served");
        String id = Promotions.toProduction(Submissions.model(name, "1.0.0"));
        Instant at = Instant.now();

        as("audrey").queryParam("at", at.toString()).get("/api/v1/audit/production/MODEL/" + name).then()
                .statusCode(200)
                .body("version", equalTo("1.0.0"))
                .body("candidateId", equalTo(id))
                .body("entries.action", hasItem("approval.granted"))
                .body("entries.find { it.action == 'approval.granted' }.actor", equalTo("bob"));
    }

    @Test
    void exportsInJsonLinesAndCsvVerifyOffline() throws Exception {
        Promotions.toProduction(Submissions.model(Submissions.uniqueName("export"), "1.0.0"));
        for (String format : List.of("jsonl", "csv")) {
            byte[] body = as("audrey").accept("*/*").queryParam("format", format).get("/api/v1/audit/export").then()
                    .statusCode(200).extract().asByteArray();
            Path file = Files.createTempFile("audit-", "." + format);
            Files.write(file, body);
            AuditVerifier.Result result = AuditVerifyCommand.verifyExport(file, null);
            assertThat(result.valid()).as(format + ": " + result.problem()).isTrue();
            assertThat(result.entries()).isGreaterThan(10);

            String tampered = new String(body, StandardCharsets.UTF_8).replaceFirst("\"alice\"", "\"mallory\"");
            Files.writeString(file, tampered);
            assertThat(AuditVerifyCommand.verifyExport(file, null).valid()).as(format + " tampered").isFalse();
            Files.delete(file);
        }
    }

    @Test
    void publishedCheckpointRevealsATruncatedTail() throws Exception {
        Instant before = Instant.now();
        Promotions.toProduction(Submissions.model(Submissions.uniqueName("checkpoint"), "1.0.0"));
        String[] checkpoint = awaitCheckpointOnKafka(before);
        long seq = Long.parseLong(checkpoint[0]);
        as("audrey").queryParam("checkpointSeq", seq).queryParam("checkpointHash", checkpoint[1])
                .get("/api/v1/audit/verify").then().body("valid", equalTo(true));

        AuditVerifier.Result truncated;
        try (SealingPaused paused = SealingPaused.now(); Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("create temp table tail as select * from audit_entry where seq >= " + seq);
            s.execute("create temp table head as select * from audit_head");
            s.execute("delete from audit_entry where seq >= " + seq);
            s.execute("update audit_head set seq = " + (seq - 1) + ", hash = (select hash from audit_entry where seq = "
                    + (seq - 1) + ")");
            truncated = AuditVerifier.verify(c, new AuditVerifier.Checkpoint(seq, checkpoint[1]));
            assertThat(AuditVerifier.verify(c).valid()).as("without the checkpoint the shortened chain looks intact").isTrue();
            s.execute("insert into audit_entry select * from tail");
            s.execute("update audit_head set seq = (select seq from head), hash = (select hash from head)");
        }
        assertThat(truncated.valid()).isFalse();
        assertThat(truncated.firstInvalidSeq()).isEqualTo(seq);
        as("audrey").get("/api/v1/audit/verify").then().body("valid", equalTo(true));
    }

    @Test
    void commandLineVerifiesTheDatabase() throws Exception {
        try (Connection c = superuser()) {
            assertThat(AuditVerifier.verify(c).valid()).isTrue();
        }
    }

    /** The first checkpoint published after {@code wanted}, as a consumer of tollgate.audit reads it. */
    private static String[] awaitCheckpointOnKafka(Instant wanted) {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        String[] found = new String[2];
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(EventTypes.AUDIT_TOPIC).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(EventTypes.AUDIT_TOPIC).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String data = new String(record.value(), StandardCharsets.UTF_8);
                    String time = data.replaceAll(".*\"occurredAt\":\"([^\"]+)\".*", "$1");
                    if (Instant.parse(time).isAfter(wanted)) {
                        found[0] = data.replaceAll(".*\"checkpointSeq\":(\\d+).*", "$1");
                        found[1] = data.replaceAll(".*\"checkpointHash\":\"([0-9a-f]+)\".*", "$1");
                        return true;
                    }
                }
                return false;
            });
        }
        return found;
    }

    private static Connection superuser() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        try (Statement s = c.createStatement()) {
            s.execute("set session_replication_role = replica");
        }
        return c;
    }
}
