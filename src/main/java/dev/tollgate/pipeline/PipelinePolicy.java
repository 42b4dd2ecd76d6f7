package dev.tollgate.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pipeline's policy document (YAML): which BPMN process runs it and the rules its stages apply.
 * Its digest is pinned on every candidate at submission, so editing the file never changes a
 * running promotion. docs/pipelines.md describes every field.
 */
public record PipelinePolicy(
        String name,
        String description,
        String process,
        List<String> kinds,
        Evaluation evaluation,
        Map<RiskTier, Approval> approvals,
        boolean autoApproveLow,
        boolean skipStaging,
        Risk risk,
        Timeouts timeouts) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** What EVALUATING requires: suites that must report, bounds, and tolerated regressions. */
    public record Evaluation(List<String> suites, Map<String, Threshold> thresholds, Map<String, Tolerance> regression) {

        public Evaluation {
            suites = suites == null ? List.of() : List.copyOf(suites);
            thresholds = thresholds == null ? Map.of() : thresholds;
            regression = regression == null ? Map.of() : regression;
        }
    }

    /** A bound on one metric; at least one of {@code min} and {@code max}, both inclusive. */
    public record Threshold(Double min, Double max) {
    }

    /**
     * How much worse than the production version a metric may be, in the metric's own unit:
     * {@code maxDecrease} for metrics where higher is better, {@code maxIncrease} where lower is.
     */
    public record Tolerance(Double maxDecrease, Double maxIncrease) {
    }

    /**
     * Inputs of the risk decision that the submitter's word may not lower. For an owned label the
     * submitter's value is never trusted: the factor takes the value of the owner's record (the
     * inventory, when there is one) or its risky value ({@link RiskLabels}).
     */
    public record Risk(List<String> ownedLabels) {

        public Risk {
            ownedLabels = ownedLabels == null ? List.of() : List.copyOf(ownedLabels);
        }
    }

    /** The quorum for one risk tier. */
    public record Approval(int required, List<String> groups, boolean distinctGroups) {
    }

    /** How long each waiting stage may last, and when to remind approvers. */
    public record Timeouts(Duration evaluation, Duration staging, Duration approval, Duration production,
                           Duration approvalReminder) {
    }

    public PipelinePolicy {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        evaluation = evaluation == null ? new Evaluation(null, null, null) : evaluation;
        approvals = approvals == null ? Map.of() : approvals;
        risk = risk == null ? new Risk(null) : risk;
    }

    public Approval approvalFor(RiskTier tier) {
        return approvals.get(tier);
    }

    @JsonProperty("autoApproveLow")
    public boolean autoApproveLow() {
        return autoApproveLow;
    }

    /**
     * Whether the promotion goes from risk review straight to approval, with no staging deployment:
     * for teams whose candidates (many prompts) have no staging environment to prove themselves in.
     */
    @JsonProperty("skipStaging")
    public boolean skipStaging() {
        return skipStaging;
    }

    /** Problems that make this policy unusable, one sentence each; empty when it is valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name must match [a-z0-9][a-z0-9._-]{0,62}");
        }
        if (process == null || process.isBlank()) {
            problems.add("process must name the BPMN process id");
        }
        for (String kind : kinds) {
            if (!kind.equals("MODEL") && !kind.equals("PROMPT")) {
                problems.add("kinds may only contain MODEL and PROMPT");
            }
        }
        evaluation.suites().forEach(suite -> {
            if (suite == null || !NAME.matcher(suite).matches()) {
                problems.add("evaluation.suites: '" + suite + "' must match [a-z0-9][a-z0-9._-]{0,62}");
            }
        });
        evaluation.thresholds().forEach((metric, t) -> {
            if (t == null || (t.min() == null && t.max() == null)) {
                problems.add("evaluation.thresholds." + metric + " needs min or max");
            } else if (t.min() != null && t.max() != null && t.min() > t.max()) {
                problems.add("evaluation.thresholds." + metric + " has min above max");
            }
        });
        evaluation.regression().forEach((metric, t) -> {
            if (t == null || (t.maxDecrease() == null) == (t.maxIncrease() == null)) {
                problems.add("evaluation.regression." + metric + " needs exactly one of maxDecrease and maxIncrease");
            } else if ((t.maxDecrease() != null && t.maxDecrease() < 0) || (t.maxIncrease() != null && t.maxIncrease() < 0)) {
                problems.add("evaluation.regression." + metric + " tolerance must not be negative");
            }
        });
        for (String label : risk.ownedLabels()) {
            if (!RiskLabels.KNOWN.contains(label)) {
                problems.add("risk.ownedLabels: '" + label + "' is not a label the risk decision reads; known: "
                        + RiskLabels.KNOWN);
            }
        }
        for (RiskTier tier : RiskTier.values()) {
            Approval approval = approvals.get(tier);
            String at = "approvals." + tier;
            if (approval == null) {
                problems.add(at + " is required");
                continue;
            }
            if (approval.required() < 1) {
                problems.add(at + ".required must be at least 1");
            }
            if (approval.groups() == null || approval.groups().isEmpty()) {
                problems.add(at + ".groups must name at least one role");
            } else if (approval.distinctGroups() && approval.groups().size() < 2) {
                problems.add(at + ".distinctGroups needs at least two groups");
            }
        }
        if (timeouts == null) {
            problems.add("timeouts is required (evaluation, staging, approval, production)");
        } else {
            positive(problems, "timeouts.evaluation", timeouts.evaluation());
            if (!skipStaging || timeouts.staging() != null) {
                positive(problems, "timeouts.staging", timeouts.staging());
            }
            positive(problems, "timeouts.approval", timeouts.approval());
            positive(problems, "timeouts.production", timeouts.production());
            if (timeouts.approvalReminder() != null) {
                positive(problems, "timeouts.approvalReminder", timeouts.approvalReminder());
                if (timeouts.approval() != null && timeouts.approvalReminder().compareTo(timeouts.approval()) >= 0) {
                    problems.add("timeouts.approvalReminder must be shorter than timeouts.approval");
                }
            }
        }
        return problems;
    }

    private static void positive(List<String> problems, String field, Duration value) {
        if (value == null) {
            problems.add(field + " is required (ISO-8601, e.g. PT24H)");
        } else if (value.isNegative() || value.isZero()) {
            problems.add(field + " must be positive");
        }
    }
}
