package dev.tollgate.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a candidate with the version now in production: a metric may be worse by at most the
 * policy's tolerance. With nothing in production (a first release) or no baseline value, there is
 * nothing to regress from and the check passes, saying so.
 */
public final class RegressionGate {

    private RegressionGate() {
    }

    public static List<GateCheck> evaluate(Map<String, PipelinePolicy.Tolerance> tolerances, Map<String, Double> metrics,
                                           Map<String, Double> production) {
        return evaluate(tolerances, metrics, production, "production");
    }

    /** The same checks against another baseline, named in each check's detail ({@code against}). */
    public static List<GateCheck> evaluate(Map<String, PipelinePolicy.Tolerance> tolerances, Map<String, Double> metrics,
                                           Map<String, Double> production, String against) {
        List<GateCheck> checks = new ArrayList<>();
        tolerances.forEach((metric, tolerance) -> {
            boolean higherIsBetter = tolerance.maxDecrease() != null;
            String op = higherIsBetter ? "MAX_DECREASE" : "MAX_INCREASE";
            double allowed = higherIsBetter ? tolerance.maxDecrease() : tolerance.maxIncrease();
            Double value = metrics.get(metric);
            Double baseline = production == null ? null : production.get(metric);
            if (baseline == null) {
                checks.add(new GateCheck(GateCheck.REGRESSION, metric, value, op, allowed, null, true,
                        metric + ": no " + against + " baseline to compare with"));
            } else if (value == null) {
                checks.add(new GateCheck(GateCheck.REGRESSION, metric, null, op, allowed, baseline, false,
                        metric + " is missing; " + against + " has " + baseline));
            } else {
                double worse = higherIsBetter ? baseline - value : value - baseline;
                boolean passed = worse <= allowed + 1e-12;
                checks.add(new GateCheck(GateCheck.REGRESSION, metric, value, op, allowed, baseline, passed,
                        metric + " " + value + " vs " + against + " " + baseline
                                + (passed ? " (within " : " (worse by more than ") + allowed + ")"));
            }
        });
        return checks;
    }

    /**
     * The largest relative degradation against production over the policy's regression metrics,
     * 0 when nothing got worse: one of the facts of the risk decision.
     */
    public static double worstRelativeDrop(Map<String, PipelinePolicy.Tolerance> tolerances, Map<String, Double> metrics,
                                           Map<String, Double> production) {
        double worst = 0;
        if (production == null) {
            return worst;
        }
        for (var entry : tolerances.entrySet()) {
            Double value = metrics.get(entry.getKey());
            Double baseline = production.get(entry.getKey());
            if (value == null || baseline == null || baseline == 0) {
                continue;
            }
            boolean higherIsBetter = entry.getValue().maxDecrease() != null;
            double drop = (higherIsBetter ? baseline - value : value - baseline) / Math.abs(baseline);
            worst = Math.max(worst, drop);
        }
        return worst;
    }
}
