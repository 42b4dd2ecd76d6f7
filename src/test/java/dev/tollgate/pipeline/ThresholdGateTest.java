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
        List<GateCheck> checks = ThresholdGate.evaluate(thresholds(), Map.of("auc", 0.80, "latency_p95_ms", 100.0));
        assertThat(checks).allMatch(GateCheck::passed);
    }

    @Test
    void valueBelowMinimumFailsWithItsInputs() {
        GateCheck auc = ThresholdGate.evaluate(thresholds(), Map.of("auc", 0.79, "latency_p95_ms", 10.0)).get(0);
        assertThat(auc.passed()).isFalse();
        assertThat(auc.gate()).isEqualTo(GateCheck.THRESHOLD);
        assertThat(auc.value()).isEqualTo(0.79);
        assertThat(auc.bound()).isEqualTo(0.80);
        assertThat(auc.operator()).isEqualTo("MIN");
        assertThat(auc.detail()).isEqualTo("auc 0.79 < 0.8");
    }

    @Test
    void valueAboveMaximumFails() {
        assertThat(ThresholdGate.evaluate(thresholds(), Map.of("auc", 0.9, "latency_p95_ms", 100.5)))
                .filteredOn(c -> !c.passed()).extracting(GateCheck::metric).containsExactly("latency_p95_ms");
    }

    @Test
    void missingMetricFailsBecauseTheGateCannotSeeItsEvidence() {
        GateCheck check = ThresholdGate.evaluate(thresholds(), Map.of("auc", 0.9)).get(1);
        assertThat(check.passed()).isFalse();
        assertThat(check.value()).isNull();
        assertThat(check.detail()).contains("missing");
    }

    @Test
    void metricsThePolicyDoesNotNameAreIgnored() {
        assertThat(ThresholdGate.evaluate(Map.of(), Map.of("auc", 0.1))).isEmpty();
    }
}
