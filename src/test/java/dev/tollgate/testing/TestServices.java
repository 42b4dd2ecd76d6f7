package dev.tollgate.testing;

import dev.tollgate.local.ContainerServices;
import dev.tollgate.local.LocalServices;
import java.util.Map;

/**
 * A PostgreSQL and a Kafka for the tests: the ones the project starts ({@link LocalServices}), or, with
 * {@code tollgate.test.services=containers} (which {@code mvn verify -Pcontainers} sets), the official images
 * through Testcontainers ({@link ContainerServices}). Either way {@link #config()} points Tollgate at them, with
 * the same settings.
 */
public final class TestServices implements AutoCloseable {

    public static final String PROPERTY = "tollgate.test.services";
    public static final String CONTAINERS = "containers";

    private final Map<String, String> config;
    private final AutoCloseable running;

    private TestServices(Map<String, String> config, AutoCloseable running) {
        this.config = config;
        this.running = running;
    }

    /** Starts both, on free ports; {@link #close()} stops them and removes what they stored. */
    public static TestServices start() throws Exception {
        if (containersAskedFor(System.getProperty(PROPERTY))) {
            ContainerServices containers = ContainerServices.start();
            return new TestServices(containers.config(), containers);
        }
        LocalServices local = LocalServices.startTemporary();
        return new TestServices(local.config(), local);
    }

    /** Whether a value of {@value #PROPERTY} asks for containers; no value asks for the project's own services. */
    public static boolean containersAskedFor(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        if (value.equals(CONTAINERS)) {
            return true;
        }
        throw new IllegalArgumentException(PROPERTY + " is either unset or '" + CONTAINERS + "', not '" + value + "'");
    }

    /** The settings that point Tollgate at these services ({@link LocalServices#JDBC_URL}, {@link LocalServices#KAFKA}, ...). */
    public Map<String, String> config() {
        return config;
    }

    @Override
    public void close() throws Exception {
        running.close();
    }
}
