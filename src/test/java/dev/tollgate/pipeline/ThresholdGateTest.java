package dev.tollgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdGateTest {

    private static Map<String, PipelinePolicy.Threshold> thresholds() {
        Map<String, PipelinePolicy.Threshold> t = new LinkedHashMap<>();
        t.put("auc", new PipelinePolicy.Threshold(0.80, null));
        t.put("latency_p95_ms", new PipelinePolicy.Threshold(null, 100.0));
        return t;
    }

    @Test
    void valuesOnTheBoundPass() {
        List<ThresholdGate.Check> checks = ThresholdGate.evaluate(thresholds(), Map.of("auc", 0.80, "latency_p95_ms", 100.0));
        assertThat(checks).allMatch(ThresholdGate.Check::passed);
    }

    @Test
    void valueBelowMinimumFailsWithItsInputs() {
        List<ThresholdGate.Check> checks = ThresholdGate.evaluate(thresholds(), Map.of("auc", 0.79, "latency_p95_ms", 10.0));
        ThresholdGate.Check auc = checks.get(0);
        assertThat(auc.passed()).isFalse();
        assertThat(auc.value()).isEqualTo(0.79);
        assertThat(auc.bound()).isEqualTo(0.80);
        assertThat(auc.operator()).isEqualTo(GateResult.Operator.MIN);
        assertThat(auc.detail()).isEqualTo("auc 0.79 < 0.8");
    }

    @Test
    void valueAboveMaximumFails() {
        assertThat(ThresholdGate.evaluate(thresholds(), Map.of("auc", 0.9, "latency_p95_ms", 100.5)))
                .filteredOn(c -> !c.passed()).extracting(ThresholdGate.Check::metric).containsExactly("latency_p95_ms");
    }

    @Test
    void missingMetricFailsBecauseTheGateCannotSeeItsEvidence() {
        ThresholdGate.Check check = ThresholdGate.evaluate(thresholds(), Map.of("auc", 0.9)).get(1);
        assertThat(check.passed()).isFalse();
        assertThat(check.value()).isNull();
        assertThat(check.detail()).contains("missing");
    }

    @Test
    void metricsThePolicyDoesNotNameAreIgnored() {
        assertThat(ThresholdGate.evaluate(Map.of(), Map.of("auc", 0.1))).isEmpty();
    }
}
