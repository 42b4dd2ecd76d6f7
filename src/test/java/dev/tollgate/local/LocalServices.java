package dev.tollgate.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL and Kafka for a local run or a test run. A service is started only when the standard
 * setting does not already point at one: {@code quarkus.datasource.jdbc.url} /
 * {@code QUARKUS_DATASOURCE_JDBC_URL} for PostgreSQL, {@code kafka.bootstrap.servers} /
 * {@code KAFKA_BOOTSTRAP_SERVERS} for Kafka.
 */
public final class LocalServices implements AutoCloseable {

    public static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    public static final String KAFKA = "kafka.bootstrap.servers";

    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final Map<String, String> config;
    /** The directory made by {@link #startTemporary()}, deleted on close; null when the caller owns it. */
    private Path temporary;

    private LocalServices(PostgresServer postgres, KafkaBroker kafka, Map<String, String> config) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.config = config;
    }

    /** Starts both services on free ports in a fresh temporary directory, which {@link #close()} deletes. */
    public static LocalServices startTemporary() throws Exception {
        return startTemporary(Map.of());
    }

    /** The same, with PostgreSQL server settings of the caller's (for example {@code synchronous_commit=on}). */
    public static LocalServices startTemporary(Map<String, String> postgresSettings) throws Exception {
        return startTemporary(postgresSettings, null);
    }

    /**
     * The same, with a broker whose clients must sign in with SCRAM-SHA-512 as one of {@code users} (name to password,
     * {@link KafkaBroker#startWithScram}). It is always started here: a Kafka named by the settings would not know these
     * users. {@link #config()} names the broker only; the caller adds the credentials its clients sign in with.
     */
    public static LocalServices startTemporaryWithScram(Map<String, String> users) throws Exception {
        return startTemporary(Map.of(), (port, directory) -> KafkaBroker.startWithScram(port, directory, users));
    }

    /** How a broker of one's own is started, on a port and in a directory. */
    private interface BrokerStart {
        KafkaBroker start(int port, Path directory) throws IOException, InterruptedException;
    }

    private static LocalServices startTemporary(Map<String, String> postgresSettings, BrokerStart ownBroker)
            throws Exception {
        Path work = Files.createTempDirectory("tollgate-services-");
        try {
            LocalServices services = start(0, 0, work, postgresSettings, ownBroker);
            services.temporary = work;
            return services;
        } catch (Exception e) {
            LocalFiles.deleteRecursively(work);
            throw e;
        }
    }

    /**
     * Starts what is missing. Port 0 picks a free port; {@code workDirectory} holds the services' files
     * and is emptied first.
     */
    public static LocalServices start(int postgresPort, int kafkaPort, Path workDirectory) throws Exception {
        return start(postgresPort, kafkaPort, workDirectory, Map.of());
    }

    /** The same, with PostgreSQL server settings of the caller's. */
    public static LocalServices start(int postgresPort, int kafkaPort, Path workDirectory,
                                      Map<String, String> postgresSettings) throws Exception {
        return start(postgresPort, kafkaPort, workDirectory, postgresSettings, null);
    }

    /** The same; {@code ownBroker}, when given, always starts the broker, whatever the settings name. */
    private static LocalServices start(int postgresPort, int kafkaPort, Path workDirectory,
                                       Map<String, String> postgresSettings, BrokerStart ownBroker) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        PostgresServer postgres = null;
        KafkaBroker kafka = null;
        try {
            String externalDb = external(JDBC_URL);
            if (externalDb == null) {
                postgres = PostgresServer.start(postgresPort == 0 ? FreePorts.find() : postgresPort,
                        workDirectory.resolve("postgres"), postgresSettings);
                config.putAll(databaseConfig(postgres.jdbcUrl()));
            } else {
                System.out.println("[tollgate] Using the PostgreSQL at " + externalDb);
            }
            String externalKafka = ownBroker == null ? external(KAFKA) : null;
            if (externalKafka == null) {
                BrokerStart broker = ownBroker == null ? KafkaBroker::start : ownBroker;
                kafka = broker.start(kafkaPort == 0 ? FreePorts.find() : kafkaPort, workDirectory.resolve("kafka"));
                config.put(KAFKA, kafka.bootstrapServers());
            } else {
                System.out.println("[tollgate] Using the Kafka at " + externalKafka);
                config.put(KAFKA, externalKafka);
            }
            return new LocalServices(postgres, kafka, config);
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    /** The settings for a database set up as {@link PostgresServer} sets it up: the runtime user, and the owner for Flyway. */
    static Map<String, String> databaseConfig(String jdbcUrl) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(JDBC_URL, jdbcUrl);
        config.put("quarkus.datasource.username", PostgresServer.USER);
        config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
        config.put("quarkus.flyway.username", PostgresServer.OWNER);
        config.put("quarkus.flyway.password", PostgresServer.OWNER_PASSWORD);
        return config;
    }

    /** The settings that point Tollgate at these services. */
    public Map<String, String> config() {
        return Map.copyOf(config);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    @Override
    public void close() throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        } finally {
            if (temporary != null) {
                LocalFiles.deleteRecursively(temporary);
            }
        }
    }

    private static String external(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return value == null || value.isBlank() ? null : value;
    }
}
