package dev.tollgate.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks metrics against a policy's thresholds. A metric the policy names but the candidate
 * lacks fails: a gate that cannot see its evidence must not pass.
 */
public final class ThresholdGate {

    public static final String NAME = "THRESHOLD";

    /** One check: the metric, its value (null if missing), the bound and the verdict. */
    public record Check(String metric, Double value, GateResult.Operator operator, double bound, boolean passed,
                        String detail) {
    }

    private ThresholdGate() {
    }

    public static List<Check> evaluate(Map<String, PipelinePolicy.Threshold> thresholds, Map<String, Double> metrics) {
        List<Check> checks = new ArrayList<>();
        thresholds.forEach((metric, threshold) -> {
            Double value = metrics.get(metric);
            if (threshold.min() != null) {
                checks.add(check(metric, value, GateResult.Operator.MIN, threshold.min()));
            }
            if (threshold.max() != null) {
                checks.add(check(metric, value, GateResult.Operator.MAX, threshold.max()));
            }
        });
        return checks;
    }

    private static Check check(String metric, Double value, GateResult.Operator op, double bound) {
        if (value == null) {
            return new Check(metric, null, op, bound, false, metric + " is missing; the policy requires "
                    + (op == GateResult.Operator.MIN ? ">= " : "<= ") + bound);
        }
        boolean passed = op == GateResult.Operator.MIN ? value >= bound : value <= bound;
        String relation = op == GateResult.Operator.MIN ? (passed ? ">=" : "<") : (passed ? "<=" : ">");
        return new Check(metric, value, op, bound, passed, metric + " " + value + " " + relation + " " + bound);
    }
}
