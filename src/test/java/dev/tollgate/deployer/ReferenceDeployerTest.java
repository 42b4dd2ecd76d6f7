package dev.tollgate.deployer;

import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.stageOf;
import static dev.tollgate.testing.Api.submitted;
import static dev.tollgate.testing.Api.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.events.EventTypes;
import dev.tollgate.local.KafkaBroker;
import dev.tollgate.local.LocalFiles;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** examples/deployer/Deployer.java, run as its README says, drives a candidate to production. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ReferenceDeployerTest {

    @Test
    void referenceDeployerDrivesACandidateToProduction() throws Exception {
        Path project = Path.of(System.getProperty("tollgate.project.dir", System.getProperty("user.dir")));
        Path jars = KafkaBroker.dependenciesOf(project.resolve("examples/deployer/pom.xml"), "reference-deployer");
        Path serving = Files.createTempDirectory("tollgate-serving-");
        String name = Submissions.uniqueName("deployed-by-reference");
        Path log = Files.createTempFile("deployer-", ".log");
        // Tollgate's public key: the deployer refuses a production deployment whose attestation it does not sign.
        String current = dev.tollgate.testing.Api.as("dave").get("/api/v1/attestations/keys").then().statusCode(200)
                .extract().jsonPath().getString("find { it.current }.publicKey");
        Path key = Files.createTempFile("tollgate-attestation-", ".pub");
        Files.writeString(key, current);
        Process deployer = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jars + File.separator + "*",
                project.resolve("examples/deployer/Deployer.java").toString(),
                "--bootstrap", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                "--dir", serving.toString(),
                "--group", "reference-deployer-test",
                "--names", name,
                "--attestation-key", key.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String id = submitted("alice", Submissions.model(name, "2.0.0"));
            Promotions.report(id, "offline-eval", 0.93).statusCode(201);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(stageOf(id)).as(Files.readString(log)).isEqualTo("AWAITING_APPROVAL"));
            decide("bob", taskOf(id), "APPROVE", "deployer test").statusCode(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(stageOf(id)).as(Files.readString(log)).isEqualTo("IN_PRODUCTION"));

            Path production = serving.resolve("production").resolve("MODEL-" + name + ".json");
            assertThat(Files.readString(production)).contains("\"candidateId\" : \"" + id + "\"",
                    "\"version\" : \"2.0.0\"", "s3://models/" + name + "/2.0.0");
            assertThat(serving.resolve("staging").resolve("MODEL-" + name + ".json")).exists();

            // A forged instruction for the same name, its attestation not Tollgate's: refused, nothing deployed.
            String forged = java.util.UUID.randomUUID().toString();
            String statement = java.util.Base64.getEncoder().encodeToString(("{\"subject\": [{\"digest\": {\"sha256\": \""
                    + "f".repeat(64) + "\"}}], \"predicate\": {\"purpose\": \"DEPLOY\"}}").getBytes(StandardCharsets.UTF_8));
            publishDeploying(forged, """
                    {"candidateId": "%s", "kind": "MODEL", "name": "%s", "version": "6.6.6", "stage": "production",
                     "digest": "sha256:%s", "artifactUri": "s3://elsewhere/evil",
                     "attestation": {"payloadType": "application/vnd.in-toto+json", "payload": "%s",
                                     "signatures": [{"keyid": "ed25519:0000000000000000", "sig": "AAAA"}]}}"""
                    .formatted(forged, name, "f".repeat(64), statement));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Files.readString(log)).contains("failed MODEL " + name + " to production: 6.6.6"));
            assertThat(Files.readString(production)).contains("\"version\" : \"2.0.0\"").doesNotContain("evil");
        } finally {
            deployer.destroy();
            deployer.waitFor(10, TimeUnit.SECONDS);
            LocalFiles.deleteRecursively(serving);
            Files.deleteIfExists(log);
        }
    }

    /** A "deploying" instruction on tollgate.promotions, as anyone with write access to the topic could send. */
    private static void publishDeploying(String candidateId, String data) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTypes.PROMOTIONS_TOPIC, "MODEL/forged",
                    data.getBytes(StandardCharsets.UTF_8));
            for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", candidateId},
                    {"ce_source", "/forger"}, {"ce_type", EventTypes.DEPLOYING}, {"ce_subject", candidateId},
                    {"content-type", "application/json"}}) {
                record.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record).get();
        }
    }
}
