package dev.tollgate.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process), run from
 * the broker jars of Maven Central in a JVM of its own, so that its classpath never mixes with
 * Tollgate's. The jars are fetched once into {@code ~/.cache/tollgate/kafka-<version>/}.
 *
 * <p>Its listener for clients is PLAINTEXT, or, started {@link #startWithScram with SCRAM}, SASL_PLAINTEXT with
 * SCRAM-SHA-512 only, as a managed Kafka asks for credentials (the controller's own listener stays PLAINTEXT).
 */
public final class KafkaBroker implements AutoCloseable {

    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";
    /** The broker's own user, for the traffic between its listeners and for the readiness check. */
    private static final String BROKER_USER = "broker";

    private Process process;
    private final int port;
    private final Path workDirectory;
    private final List<String> command;
    /** What this launcher's own clients need to connect: nothing, or the broker user's SCRAM settings. */
    private final Map<String, String> ownClientSettings;

    private KafkaBroker(Process process, int port, Path workDirectory, List<String> command,
                        Map<String, String> ownClientSettings) {
        this.process = process;
        this.port = port;
        this.workDirectory = workDirectory;
        this.command = command;
        this.ownClientSettings = ownClientSettings;
    }

    public static KafkaBroker start(int port, Path workDirectory) throws IOException, InterruptedException {
        return start(port, workDirectory, null);
    }

    /**
     * A broker whose clients must sign in with SCRAM-SHA-512 over SASL_PLAINTEXT, as one of {@code users} (name to
     * password; names and passwords without commas, brackets or quotes). KRaft keeps SCRAM credentials in its metadata
     * log, so they are created when the storage is formatted.
     */
    public static KafkaBroker startWithScram(int port, Path workDirectory, Map<String, String> users)
            throws IOException, InterruptedException {
        return start(port, workDirectory, Map.copyOf(users));
    }

    /** The client settings that sign in as {@code user} on a broker started {@link #startWithScram with SCRAM}. */
    public static Map<String, String> scramClientSettings(String user, String password) {
        return Map.of("security.protocol", SASL_LISTENER, "sasl.mechanism", SCRAM_MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    private static KafkaBroker start(int port, Path workDirectory, Map<String, String> scramUsers)
            throws IOException, InterruptedException {
        Path jars = ensureJars();
        LocalFiles.deleteRecursively(workDirectory);
        Files.createDirectories(workDirectory);
        int controllerPort = FreePorts.find();
        Path config = workDirectory.resolve("server.properties");
        String brokerPassword = UUID.randomUUID().toString().replace("-", "");
        List<String> listeners = scramUsers == null ? List.of(
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT") : List.of(
                "listeners=" + SASL_LISTENER + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=" + SASL_LISTENER + "://127.0.0.1:" + port,
                "inter.broker.listener.name=" + SASL_LISTENER,
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT," + SASL_LISTENER + ":" + SASL_LISTENER,
                "sasl.enabled.mechanisms=" + SCRAM_MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + SCRAM_MECHANISM,
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
                        + scramClientSettings(BROKER_USER, brokerPassword).get("sasl.jaas.config"));
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                String.join("\n", listeners),
                "controller.listener.names=CONTROLLER",
                "log.dirs=" + workDirectory.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") , StandardCharsets.UTF_8);
        Path log4j = workDirectory.resolve("log4j.properties");
        Files.writeString(log4j, String.join("\n",
                "log4j.rootLogger=WARN, file",
                "log4j.logger.kafka.server.KafkaRaftServer=INFO",
                "log4j.appender.file=org.apache.log4j.FileAppender",
                "log4j.appender.file.File=" + workDirectory.resolve("server.log"),
                "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
                ""), StandardCharsets.UTF_8);

        List<String> common = List.of(javaExecutable(), "-Xms64m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j.configuration=" + log4j.toUri(), "-cp", jars + File.separator + "*");
        List<String> format = new ArrayList<>(common);
        format.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id=" + Uuid.randomUuid(),
                "--config=" + config, "--ignore-formatted"));
        Map<String, String> ownClientSettings = Map.of();
        if (scramUsers != null) {
            Map<String, String> users = new LinkedHashMap<>(scramUsers);
            users.put(BROKER_USER, brokerPassword);
            users.forEach((user, password) -> format.addAll(List.of("--add-scram",
                    SCRAM_MECHANISM + "=[name=" + user + ",password=" + password + "]")));
            ownClientSettings = scramClientSettings(BROKER_USER, brokerPassword);
        }
        Process formatting = new ProcessBuilder(format).redirectErrorStream(true)
                .redirectOutput(workDirectory.resolve("format.log").toFile()).start();
        if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
            throw new IOException("Kafka storage format failed: " + Files.readString(workDirectory.resolve("format.log")));
        }

        List<String> run = new ArrayList<>(common);
        run.addAll(List.of("kafka.Kafka", config.toString()));
        Process process = new ProcessBuilder(run).redirectErrorStream(true)
                .redirectOutput(workDirectory.resolve("console.log").toFile()).start();
        KafkaBroker broker = new KafkaBroker(process, port, workDirectory, run, ownClientSettings);
        broker.awaitReady(Duration.ofSeconds(90));
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.putAll(ownClientSettings);
        props.put("request.timeout.ms", "2000");
        props.put("default.api.timeout.ms", "2000");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited during start-up:\n" + tail(workDirectory.resolve("console.log"))
                        + tail(workDirectory.resolve("server.log")));
            }
            try (Admin admin = Admin.create(props)) {
                if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception notYet) {
                Thread.sleep(200);
            }
        }
        close();
        throw new IOException("Kafka broker not ready after " + timeout.toSeconds() + " s");
    }

    /** Stops the broker (SIGTERM) but keeps its data, for fault tests; {@link #restart()} brings it back. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the stopped broker again on the same port and data. */
    public void restart() throws IOException, InterruptedException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDirectory.resolve("console.log").toFile())).start();
        awaitReady(Duration.ofSeconds(90));
    }

    /** Stops the broker with SIGTERM, as an operator would, and removes its files. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LocalFiles.deleteRecursively(workDirectory);
    }

    /** The broker jars, copied once from the local Maven repository by a nested Maven call. */
    static synchronized Path ensureJars() throws IOException, InterruptedException {
        String version = System.getProperty("tollgate.kafka.version", "3.7.1");
        Path dir = LocalFiles.cacheDirectory().resolve("kafka-" + version);
        Path complete = dir.resolve(".complete");
        if (Files.exists(complete)) {
            return dir;
        }
        Path projectDir = Path.of(System.getProperty("tollgate.project.dir", System.getProperty("user.dir")));
        Path brokerPom = projectDir.resolve("src/test/broker/pom.xml");
        List<String> command = List.of(NestedMaven.executable(), "-B", "-q", "-f", brokerPom.toString(),
                "dependency:copy-dependencies", "-DincludeScope=runtime", "-Dkafka.version=" + version,
                "-DoutputDirectory=" + dir);
        System.out.println("[tollgate] Fetching the Kafka " + version + " broker jars into " + dir + " (once)");
        Process maven = new ProcessBuilder(command).inheritIO().start();
        if (!maven.waitFor(15, TimeUnit.MINUTES) || maven.exitValue() != 0) {
            throw new IOException("Could not fetch the Kafka broker jars with: " + String.join(" ", command));
        }
        Files.writeString(complete, version);
        return dir;
    }

    /**
     * The runtime jars that {@code pom} lists, copied once into {@code ~/.cache/tollgate/<name>-<digest of pom>/}:
     * a changed list gets a directory of its own.
     */
    public static synchronized Path dependenciesOf(Path pom, String name) throws IOException, InterruptedException {
        String digest = dev.tollgate.shared.Sha256.hex(Files.readString(pom)).substring(0, 12);
        Path dir = LocalFiles.cacheDirectory().resolve(name + "-" + digest);
        Path complete = dir.resolve(".complete");
        if (Files.exists(complete)) {
            return dir;
        }
        List<String> command = List.of(NestedMaven.executable(), "-B", "-q", "-f", pom.toString(),
                "dependency:copy-dependencies", "-DincludeScope=runtime", "-DoutputDirectory=" + dir);
        Process maven = new ProcessBuilder(command).inheritIO().start();
        if (!maven.waitFor(15, TimeUnit.MINUTES) || maven.exitValue() != 0) {
            throw new IOException("Could not fetch the jars with: " + String.join(" ", command));
        }
        Files.writeString(complete, digest);
        return dir;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
    }
}
