package dev.tollgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionGateTest {

    private static final Map<String, PipelinePolicy.Tolerance> TOLERANCES = Map.of(
            "auc", new PipelinePolicy.Tolerance(0.01, null),
            "latency_p95_ms", new PipelinePolicy.Tolerance(null, 15.0));

    @Test
    void dropWithinTolerancepassesAndRecordsTheBaseline() {
        GateCheck auc = RegressionGate.evaluate(Map.of("auc", new PipelinePolicy.Tolerance(0.01, null)),
                Map.of("auc", 0.915), Map.of("auc", 0.92)).get(0);
        assertThat(auc.passed()).isTrue();
        assertThat(auc.baseline()).isEqualTo(0.92);
        assertThat(auc.bound()).isEqualTo(0.01);
        assertThat(auc.operator()).isEqualTo("MAX_DECREASE");
    }

    @Test
    void dropBeyondToleranceFails() {
        assertThat(RegressionGate.evaluate(Map.of("auc", new PipelinePolicy.Tolerance(0.01, null)),
                Map.of("auc", 0.90), Map.of("auc", 0.92)).get(0).passed()).isFalse();
    }

    @Test
    void increaseBeyondToleranceFailsForLowerIsBetterMetrics() {
        GateCheck latency = RegressionGate.evaluate(Map.of("latency_p95_ms", new PipelinePolicy.Tolerance(null, 15.0)),
                Map.of("latency_p95_ms", 60.0), Map.of("latency_p95_ms", 40.0)).get(0);
        assertThat(latency.passed()).isFalse();
        assertThat(latency.detail()).contains("vs production 40.0");
    }

    @Test
    void firstReleaseHasNothingToRegressFrom() {
        assertThat(RegressionGate.evaluate(TOLERANCES, Map.of("auc", 0.5), null)).allMatch(GateCheck::passed);
    }

    @Test
    void worstRelativeDropIsTheLargestRelativeDegradation() {
        double drop = RegressionGate.worstRelativeDrop(TOLERANCES, Map.of("auc", 0.88, "latency_p95_ms", 44.0),
                Map.of("auc", 0.90, "latency_p95_ms", 40.0));
        assertThat(drop).isCloseTo(0.10, within(1e-9));
    }
}
