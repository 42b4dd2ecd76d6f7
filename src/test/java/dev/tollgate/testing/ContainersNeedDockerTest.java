package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

class ContainersNeedDockerTest {

    private static final Supplier<Optional<String>> NOT_TO_BE_ASKED = () -> {
        throw new AssertionError("Docker was asked for");
    };

    @Test
    void runsEveryTestWithoutAskingForDockerWhenTheProjectStartsTheServices() {
        ConditionEvaluationResult result = new ContainersNeedDocker(() -> null, NOT_TO_BE_ASKED)
                .evaluateExecutionCondition(null);

        assertThat(result.isDisabled()).isFalse();
    }

    @Test
    void skipsEveryTestWithTheReasonWhenNoDockerEngineAnswers() {
        ConditionEvaluationResult result = new ContainersNeedDocker(() -> "containers",
                () -> Optional.of("Could not find a valid Docker environment")).evaluateExecutionCondition(null);

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue("No Docker engine found by Testcontainers (Could not find a valid "
                + "Docker environment): -Pcontainers needs one; the default build starts PostgreSQL and Kafka itself");
    }

    @Test
    void runsEveryTestWhenTestcontainersFindsADockerEngine() {
        ConditionEvaluationResult result = new ContainersNeedDocker(() -> "containers", Optional::empty)
                .evaluateExecutionCondition(null);

        assertThat(result.isDisabled()).isFalse();
    }

    @Test
    void refusesAServicesSettingItDoesNotKnow() {
        assertThatThrownBy(() -> new ContainersNeedDocker(() -> "kubernetes", NOT_TO_BE_ASKED).evaluateExecutionCondition(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tollgate.test.services is either unset or 'containers', not 'kubernetes'");
    }
}
