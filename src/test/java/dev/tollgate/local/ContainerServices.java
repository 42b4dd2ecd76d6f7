package dev.tollgate.local;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL and Kafka from their official images, started through Testcontainers, for
 * {@code mvn verify -Pcontainers} (docs/adr/0001-build-and-local-services.md). They are set up as
 * {@link PostgresServer} and {@link KafkaBroker} set up theirs: the same database and roles, the same server
 * and broker settings, and the same superuser for the tests that read the database directly. {@link #config()}
 * has the keys of {@link LocalServices#config()}.
 */
public final class ContainerServices implements AutoCloseable {

    /** The minor version of the embedded PostgreSQL binaries, so that both runs test one server. */
    public static final DockerImageName POSTGRES_IMAGE = DockerImageName.parse("postgres:16.4");
    /** The broker version of {@link KafkaBroker}. */
    public static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:3.7.1");

    private static final int POSTGRES_PORT = 5432;

    private final PostgreSQLContainer<?> postgres;
    private final KafkaContainer kafka;
    private final Map<String, String> config;

    private ContainerServices(PostgreSQLContainer<?> postgres, KafkaContainer kafka, Map<String, String> config) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.config = config;
    }

    /**
     * What keeps Testcontainers from starting containers here, or nothing when it found a Docker engine. Asks once:
     * Testcontainers keeps the answer for the rest of the JVM.
     */
    public static Optional<String> dockerEngineMissing() {
        try {
            DockerClientFactory.instance().client();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** Starts both containers, side by side, and sets the database up; each has its ports mapped to free ones. */
    public static ContainerServices start() throws Exception {
        List<String> command = new ArrayList<>(List.of("postgres"));
        PostgresServer.serverSettings(Map.of()).forEach((key, value) -> command.addAll(List.of("-c", key + "=" + value)));
        PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>(POSTGRES_IMAGE)
                .withDatabaseName("postgres")
                .withUsername(PostgresServer.SUPERUSER)
                .withPassword(PostgresServer.SUPERUSER)
                .withCommand(command.toArray(String[]::new));
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                .withEnv("KAFKA_NUM_PARTITIONS", "3")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "3");
        try {
            Startables.deepStart(postgres, kafka).join();
            String server = "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(POSTGRES_PORT) + "/";
            PostgresServer.createRolesAndDatabase(database -> DriverManager.getConnection(server + database,
                    PostgresServer.SUPERUSER, PostgresServer.SUPERUSER));
            Map<String, String> config = LocalServices.databaseConfig(server + PostgresServer.DATABASE);
            config.put(LocalServices.KAFKA, kafka.getBootstrapServers());
            System.out.println("[tollgate] Containers " + POSTGRES_IMAGE + " at " + server + " and " + KAFKA_IMAGE
                    + " at " + kafka.getBootstrapServers());
            return new ContainerServices(postgres, kafka, config);
        } catch (Exception e) {
            kafka.stop();
            postgres.stop();
            throw e;
        }
    }

    /** The settings that point Tollgate at these containers. */
    public Map<String, String> config() {
        return Map.copyOf(config);
    }

    @Override
    public void close() {
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }
}
