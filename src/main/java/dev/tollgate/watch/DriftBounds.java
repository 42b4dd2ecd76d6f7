package dev.tollgate.watch;

import dev.tollgate.pipeline.PipelinePolicy;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a drift signal is beyond its bound: the policy's bound for its metric when the policy names one, the
 * signal's own threshold otherwise (a value above it is beyond), and a firing alert that carries no value is beyond
 * by the rule that fired it.
 */
public final class DriftBounds {

    /** A drift signal beyond its bound: {@code bound} null when the alert's own rule is the bound. */
    public record Breach(String metric, Double value, Double bound, String detail) {
    }

    private DriftBounds() {
    }

    /** The breach, or empty when the signal is within bounds (or nothing bounds its metric). */
    public static Optional<Breach> check(ValidSignal signal, Map<String, PipelinePolicy.Threshold> bounds) {
        String metric = signal.metric();
        Double value = signal.value();
        PipelinePolicy.Threshold bound = bounds.get(metric);
        if (bound != null && value != null) {
            if (bound.min() != null && value < bound.min()) {
                return Optional.of(new Breach(metric, value, bound.min(), metric + " = " + value
                        + " is below the policy's minimum " + bound.min()));
            }
            if (bound.max() != null && value > bound.max()) {
                return Optional.of(new Breach(metric, value, bound.max(), metric + " = " + value
                        + " is above the policy's maximum " + bound.max()));
            }
            return Optional.empty();
        }
        if (signal.threshold() != null && value != null && bound == null) {
            return value > signal.threshold()
                    ? Optional.of(new Breach(metric, value, signal.threshold(), metric + " = " + value
                    + " is above the monitor's threshold " + signal.threshold()))
                    : Optional.empty();
        }
        if (signal.alertKey() != null) {
            return Optional.of(new Breach(metric, value, null, "the alert on " + metric + " fired ("
                    + signal.source() + ")"));
        }
        return Optional.empty();
    }

    /** Why a signal is within bounds, in words. */
    public static String within(ValidSignal signal, Map<String, PipelinePolicy.Threshold> bounds) {
        if (bounds.containsKey(signal.metric()) || signal.threshold() != null) {
            return signal.metric() + " = " + signal.value() + " is within its bound";
        }
        return "nothing bounds " + signal.metric() + ": the policy names no bound for it and the signal has no threshold";
    }
}
