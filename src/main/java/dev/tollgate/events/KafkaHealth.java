package dev.tollgate.events;

import dev.tollgate.shared.LogSafe;
import io.smallrye.health.api.Wellness;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether Tollgate's Kafka clients reach the brokers, with their own settings (credentials and TLS included): the
 * check {@code kafka} of {@code /q/health/well} and {@code /q/health}. Not a readiness check on purpose: while Kafka is
 * unreachable an instance still takes every request and its events wait in the outbox (docs/events.md), so taking
 * it out of the load balancer would only stop approvals and submissions. The outbox backlog in readiness and its
 * alerts say how far behind Kafka is.
 */
@ApplicationScoped
@Wellness
public class KafkaHealth implements HealthCheck {

    private static final long TIMEOUT_MS = 3000;

    private final KafkaClients kafka;
    private Admin admin;

    KafkaHealth(KafkaClients kafka) {
        this.kafka = kafka;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int brokers = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named("kafka").up().withData("brokers", brokers).build();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return HealthCheckResponse.named("kafka").down()
                    .withData("error", LogSafe.of(cause.getClass().getSimpleName() + ": " + cause.getMessage()))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named("kafka").down().withData("error", "interrupted").build();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.admin("health"));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
