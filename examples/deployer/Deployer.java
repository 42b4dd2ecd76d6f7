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
 *        --bootstrap 127.0.0.1:9092 --dir /tmp/serving
 */

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

    Deployer(Path dir, Pattern names) throws IOException {
        this.dir = dir;
        this.names = names;
        Files.createDirectories(dir);
        this.processedFile = dir.resolve(".processed-event-ids");
        if (Files.exists(processedFile)) {
            processed.addAll(Files.readAllLines(processedFile));
        }
    }

    public static void main(String[] args) throws Exception {
        // The Kafka client's own log: warnings and errors only.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, String> options = options(args);
        String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
        Deployer deployer = new Deployer(Path.of(options.getOrDefault("dir", "serving")),
                Pattern.compile(options.getOrDefault("names", ".*")));
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
        try {
            Path file = deploy(data, stage);
            outcome = "succeeded";
            detail = "wrote " + file;
        } catch (IOException e) {
            outcome = "failed";
            detail = e.toString();
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
                throw new IllegalArgumentException("Options are --bootstrap, --dir, --group, --names; got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
