package dev.tollgate.testing;

import dev.tollgate.local.ContainerServices;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips every test, with the reason, when the tests are to run on containers ({@link TestServices#PROPERTY}) and
 * Testcontainers finds no Docker engine. Registered for all tests by JUnit's extension auto-detection, which only
 * {@code mvn verify -Pcontainers} switches on; without the property it answers "enabled" without asking for Docker.
 * Docker is asked for once per JVM, and the reason printed once; a skipped test class never starts its services or
 * its Quarkus application.
 */
public final class ContainersNeedDocker implements ExecutionCondition {

    private static final ConditionEvaluationResult PROJECT_SERVICES =
            ConditionEvaluationResult.enabled("The project starts PostgreSQL and Kafka");
    private static final ConditionEvaluationResult DOCKER_FOUND =
            ConditionEvaluationResult.enabled("Testcontainers found a Docker engine");

    private final Supplier<String> servicesProperty;
    private final Supplier<Optional<String>> dockerEngineMissing;

    public ContainersNeedDocker() {
        this(() -> System.getProperty(TestServices.PROPERTY), () -> Probe.MISSING);
    }

    /** With the property's value and the Docker probe given: what is missing, or nothing when there is an engine. */
    ContainersNeedDocker(Supplier<String> servicesProperty, Supplier<Optional<String>> dockerEngineMissing) {
        this.servicesProperty = servicesProperty;
        this.dockerEngineMissing = dockerEngineMissing;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestServices.containersAskedFor(servicesProperty.get())) {
            return PROJECT_SERVICES;
        }
        return dockerEngineMissing.get()
                .map(missing -> ConditionEvaluationResult.disabled(reason(missing)))
                .orElse(DOCKER_FOUND);
    }

    static String reason(String missing) {
        return "No Docker engine found by Testcontainers (" + missing + "): -Pcontainers needs one; "
                + "the default build starts PostgreSQL and Kafka itself";
    }

    /** Testcontainers' answer, asked for at the first test that needs it and printed once when it is "no". */
    private static final class Probe {
        static final Optional<String> MISSING = ContainerServices.dockerEngineMissing();

        static {
            MISSING.ifPresent(missing -> System.out.println("[tollgate] " + reason(missing) + ". Every test is skipped."));
        }
    }
}
