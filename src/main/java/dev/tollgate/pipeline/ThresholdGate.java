package dev.tollgate.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks metrics against a policy's thresholds. A metric the policy names but the candidate
 * lacks fails: a gate that cannot see its evidence must not pass.
 */
public final class ThresholdGate {

    private ThresholdGate() {
    }

    public static List<GateCheck> evaluate(Map<String, PipelinePolicy.Threshold> thresholds, Map<String, Double> metrics) {
        List<GateCheck> checks = new ArrayList<>();
        thresholds.forEach((metric, threshold) -> {
            Double value = metrics.get(metric);
            if (threshold.min() != null) {
                checks.add(check(metric, value, "MIN", threshold.min()));
            }
            if (threshold.max() != null) {
                checks.add(check(metric, value, "MAX", threshold.max()));
            }
        });
        return checks;
    }

    private static GateCheck check(String metric, Double value, String op, double bound) {
        boolean min = op.equals("MIN");
        if (value == null) {
            return new GateCheck(GateCheck.THRESHOLD, metric, null, op, bound, null, false,
                    metric + " is missing; the policy requires " + (min ? ">= " : "<= ") + bound);
        }
        boolean passed = min ? value >= bound : value <= bound;
        String relation = min ? (passed ? ">=" : "<") : (passed ? "<=" : ">");
        return new GateCheck(GateCheck.THRESHOLD, metric, value, op, bound, null, passed,
                metric + " " + value + " " + relation + " " + bound);
    }
}
