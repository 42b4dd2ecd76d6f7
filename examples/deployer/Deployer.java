/*
 * Tollgate's reference deployer: the smallest real consumer of tollgate.promotions.
 *
 * It reads the promotion events, acts on each "deploying" instruction by writing the artifact
 * reference into a file per environment (standing in for a serving system), and answers on
 * tollgate.deployments with a CloudEvent: dev.tollgate.deployment.succeeded or .failed.
 * Duplicates (Tollgate delivers at least once) are dropped by ce_id. Copy it, and replace
 * deploy() with a call to your serving platform. README.md explains how to run it.
 *
 * The CloudEvents SDK's Kafka binding reads the instructions and writes the answers (binary mode), so
 * the record headers follow the CloudEvents Kafka protocol binding exactly.
 *
 * Run (needs a JDK 17 and the jars examples/deployer/pom.xml lists):
 *   mvn -q -f examples/deployer/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib
 *   java -cp "examples/deployer/target/lib/*" examples/deployer/Deployer.java \
 *        --bootstrap 127.0.0.1:9092 --dir /tmp/serving [--attestation-key tollgate-attestation.pub]
 *
 * With --attestation-key (Tollgate's public key, from GET /api/v1/attestations/keys), a production deployment whose
 * attestation does not verify is refused: answered as failed, never deployed (docs/governance.md, "Attestations").
 */

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Deployer {

    static final String PROMOTIONS = "tollgate.promotions";
    static final String DEPLOYMENTS = "tollgate.deployments";
    static final String DEPLOYING = "dev.tollgate.promotion.deploying";

    private final ObjectMapper json = new ObjectMapper();
    private final Path dir;
    private final Pattern names;
    private final Set<String> processed = new HashSet<>();
    private final Path processedFile;
    /** Tollgate's attestation key; when set, a production deployment without a valid attestation is refused. */
    private final PublicKey attestationKey;
    /** Digests deployed to production with a valid attestation: the ones a rollback may bring back. */
    private final Set<String> attested = new HashSet<>();
    private final Path attestedFile;

    Deployer(Path dir, Pattern names, PublicKey attestationKey) throws IOException {
        this.dir = dir;
        this.names = names;
        this.attestationKey = attestationKey;
        Files.createDirectories(dir);
        this.processedFile = dir.resolve(".processed-event-ids");
        if (Files.exists(processedFile)) {
            processed.addAll(Files.readAllLines(processedFile));
        }
        this.attestedFile = dir.resolve(".attested-digests");
        if (Files.exists(attestedFile)) {
            attested.addAll(Files.readAllLines(attestedFile));
        }
    }

    public static void main(String[] args) throws Exception {
        // The Kafka client's own log: warnings and errors only.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, String> options = options(args);
        String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
        PublicKey key = options.containsKey("attestation-key")
                ? publicKey(Files.readString(Path.of(options.get("attestation-key")))) : null;
        Deployer deployer = new Deployer(Path.of(options.getOrDefault("dir", "serving")),
                Pattern.compile(options.getOrDefault("names", ".*")), key);
        deployer.run(bootstrap, options.getOrDefault("group", "tollgate-reference-deployer"));
    }

    void run(String bootstrap, String group) throws Exception {
        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", bootstrap);
        consumerProps.put("group.id", group);
        consumerProps.put("enable.auto.commit", "false");
        consumerProps.put("auto.offset.reset", "earliest");
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", bootstrap);
        producerProps.put("enable.idempotence", "true");
        producerProps.put("acks", "all");
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(PROMOTIONS));
            System.out.println("[deployer] consuming " + PROMOTIONS + " from " + bootstrap + ", serving files in " + dir);
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record, producer);
                }
                consumer.commitSync();
            }
        }
    }

    void handle(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> producer) throws Exception {
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(record).toEvent();
        } catch (RuntimeException notCloudEvent) {
            return; // not a CloudEvent: nothing Tollgate sent
        }
        String eventId = event.getId();
        if (!DEPLOYING.equals(event.getType()) || processed.contains(eventId) || event.getData() == null) {
            return; // not an instruction for deployers, or one already carried out
        }
        JsonNode data = json.readTree(event.getData().toBytes());
        String name = data.path("name").asText();
        if (!names.matcher(name).matches()) {
            return; // another team's model: not ours to deploy
        }
        String stage = data.path("stage").asText();
        String candidateId = data.path("candidateId").asText();
        String outcome;
        String detail;
        String refused = "production".equals(stage) && attestationKey != null ? refusal(data) : null;
        if (refused != null) {
            outcome = "failed";
            detail = "refused: " + refused;
        } else {
            try {
                Path file = deploy(data, stage);
                outcome = "succeeded";
                detail = "wrote " + file;
                if ("production".equals(stage) && attestationKey != null && !data.path("rollback").asBoolean(false)) {
                    attested.add(data.path("digest").asText());
                    Files.writeString(attestedFile, data.path("digest").asText() + "\n", StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                outcome = "failed";
                detail = e.toString();
            }
        }
        ObjectNode result = json.createObjectNode()
                .put("candidateId", candidateId).put("stage", stage)
                .put("environment", stage + "-local").put("detail", detail);
        CloudEvent answer = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(URI.create("/deployer/reference"))
                .withType("dev.tollgate.deployment." + outcome)
                .withSubject(candidateId)
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withData("application/json", json.writeValueAsBytes(result))
                .build();
        ProducerRecord<String, byte[]> written = KafkaMessageFactory.createWriter(DEPLOYMENTS, record.key()).writeBinary(answer);
        producer.send(written).get();
        // Remembered only once the answer is acknowledged: a crash before that deploys again (idempotent) and answers again.
        processed.add(eventId);
        Files.writeString(processedFile, eventId + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.printf("[deployer] %s %s %s to %s: %s%n", outcome, data.path("kind").asText(), name,
                stage, data.path("version").asText());
    }

    /**
     * Why the production deployment's attestation does not hold, or null when it does: a DSSE envelope whose
     * Ed25519 signature over the pre-authentication encoding verifies with Tollgate's key, about this very candidate
     * and digest, signed for the deployment request.
     */
    String refusal(JsonNode data) {
        if (data.path("rollback").asBoolean(false)) {
            // A rollback brings back a version that served before: only one this deployer deployed attested.
            return attested.contains(data.path("digest").asText()) ? null
                    : "a rollback to " + data.path("digest").asText() + ", which this deployer never deployed attested";
        }
        JsonNode envelope = data.path("attestation");
        if (!envelope.isObject()) {
            return "no attestation";
        }
        try {
            String type = envelope.path("payloadType").asText();
            if (!"application/vnd.in-toto+json".equals(type)) {
                return "the attestation is not an in-toto statement";
            }
            byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());
            byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream pae = new ByteArrayOutputStream();
            pae.writeBytes(("DSSEv1 " + typeBytes.length + " ").getBytes(StandardCharsets.UTF_8));
            pae.writeBytes(typeBytes);
            pae.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.UTF_8));
            pae.writeBytes(payload);
            boolean signed = false;
            for (JsonNode signature : envelope.path("signatures")) {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(attestationKey);
                verifier.update(pae.toByteArray());
                signed |= verifier.verify(Base64.getDecoder().decode(signature.path("sig").asText()));
            }
            if (!signed) {
                return "the attestation is not signed by Tollgate's key";
            }
            JsonNode statement = json.readTree(payload);
            JsonNode predicate = statement.path("predicate");
            String digest = data.path("digest").asText();
            String attested = "sha256:" + statement.path("subject").path(0).path("digest").path("sha256").asText();
            if (!digest.equals(attested)) {
                return "the attestation is about " + attested + ", not " + digest;
            }
            JsonNode candidate = predicate.path("candidate");
            // What is deployed is what was signed: every field this deployer acts on must be the statement's.
            for (String field : List.of("id", "kind", "name", "version", "artifactUri")) {
                String inEvent = data.path(field.equals("id") ? "candidateId" : field).asText(null);
                String attestedValue = candidate.path(field).asText(null);
                if (!java.util.Objects.equals(inEvent, attestedValue)) {
                    return "the event's " + field + " is not the attested one";
                }
            }
            if (!"DEPLOY".equals(predicate.path("purpose").asText())) {
                return "the attestation is not a deployment request's";
            }
            return null;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return "the attestation cannot be read: " + e.getMessage();
        }
    }

    static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** "Deploys" by writing what should serve into {@code <dir>/<stage>/<kind>-<name>.json}, atomically. */
    Path deploy(JsonNode data, String stage) throws IOException {
        Path target = dir.resolve(stage).resolve(data.path("kind").asText() + "-" + data.path("name").asText() + ".json");
        Files.createDirectories(target.getParent());
        ObjectNode serving = json.createObjectNode()
                .put("candidateId", data.path("candidateId").asText())
                .put("version", data.path("version").asText())
                .put("digest", data.path("digest").asText())
                .put("artifactUri", data.path("artifactUri").isNull() ? null : data.path("artifactUri").asText())
                .put("deployedAt", Instant.now().toString());
        Path temp = Files.createTempFile(target.getParent(), ".deploying-", ".json");
        Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(serving));
        return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Options are --bootstrap, --dir, --group, --names, --attestation-key; got "
                        + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
