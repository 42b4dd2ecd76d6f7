package dev.tollgate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real PostgreSQL and a real Kafka broker, on free ports, once for the whole test run,
 * and points Tollgate at them: the project's own, or containers under {@code -Pcontainers} ({@link TestServices}).
 */
public class TollgateServices implements QuarkusTestResourceLifecycleManager {

    private TestServices services;

    @Override
    public Map<String, String> start() {
        try {
            services = TestServices.start();
            return services.config();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start PostgreSQL and Kafka for the tests", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (services != null) {
                services.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
