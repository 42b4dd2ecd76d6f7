package dev.tollgate.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
        Timeouts timeouts,
        Reevaluation reevaluation,
        Verification verification,
        Staging staging,
        BreakGlass breakGlass) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** What EVALUATING requires: suites that must report, bounds, and tolerated regressions. */
    @Schema(name = "PolicyEvaluation")
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
     * submitter's value is never trusted: the factor takes the inventory's classification of the name, or
     * its riskiest value when the name is unregistered or unclassified ({@link RiskLabels}). {@code unregistered}
     * says what happens to a name with no inventory entry: its owned factors count at their riskiest
     * ({@code RISKIEST}), or its submission is refused until it is registered ({@code REFUSE}).
     */
    @Schema(name = "PolicyRisk")
    public record Risk(List<String> ownedLabels, FloatingAlias floatingAlias, String pinnedModels,
                       Unregistered unregistered) {

        public Risk {
            ownedLabels = ownedLabels == null ? List.of() : List.copyOf(ownedLabels);
            floatingAlias = floatingAlias == null ? FloatingAlias.FLAG : floatingAlias;
            unregistered = unregistered == null ? Unregistered.RISKIEST : unregistered;
        }

        /** Whether {@code model} names a dated snapshot, by this policy's pattern or the default one. */
        public boolean pinned(String model) {
            return ModelNames.isPinned(model, pinnedModels);
        }
    }

    /**
     * What a PROMPT whose model is a floating alias (no dated snapshot) gets: the risk decision's flag only
     * ({@code FLAG}, MEDIUM at least), the HIGH tier ({@code HIGH}), or a refused submission ({@code REFUSE}).
     */
    public enum FloatingAlias { FLAG, HIGH, REFUSE }

    /** What a submission of a name the inventory does not know gets (see {@link Risk}). */
    public enum Unregistered { RISKIEST, REFUSE }

    /** What the policy does with a re-evaluation's verdict, or with a failed verification. */
    public enum Reaction { ACCEPT, ASK, ROLL_BACK }

    /** Whether an alert that resolves before the suites report ends the re-evaluation it started. */
    public enum OnResolved { END, CONTINUE }

    /**
     * How a version in production is watched (docs/drift.md): what starts a re-evaluation of it, which suites
     * run again, and what the verdict leads to. Without this section signals are recorded and nothing runs.
     */
    @Schema(name = "PolicyReevaluation")
    public record Reevaluation(List<String> suites, Triggers triggers, Duration every, Duration timeout,
                               Reaction onPass, Reaction onFail, OnResolved onResolved, Approval decision,
                               Duration decisionTimeout) {

        public Reevaluation {
            triggers = triggers == null ? new Triggers(null, null, null, null) : triggers;
            onPass = onPass == null ? Reaction.ACCEPT : onPass;
            onFail = onFail == null ? Reaction.ASK : onFail;
            onResolved = onResolved == null ? OnResolved.END : onResolved;
        }
    }

    /**
     * The signals that start a re-evaluation: the provider answering with another model ({@code model}) or
     * another fingerprint ({@code fingerprint}), a drift metric beyond its bound ({@code drift}; a metric not
     * named here is held to the signal's own threshold), a firing Alertmanager alert ({@code alerts}).
     */
    public record Triggers(Boolean model, Boolean fingerprint, Map<String, Threshold> drift, Boolean alerts) {

        public Triggers {
            model = model == null || model;
            fingerprint = fingerprint == null || fingerprint;
            drift = drift == null ? Map.of() : drift;
            alerts = alerts == null || alerts;
        }
    }

    /**
     * The window after a release ({@code window}) in which a drift or error-rate signal beyond its bound
     * ({@code bounds}; a firing alert always) fails the release at once, and what follows ({@code onFail}).
     */
    @Schema(name = "PolicyVerification")
    public record Verification(Duration window, Map<String, Threshold> bounds, Reaction onFail) {

        public Verification {
            bounds = bounds == null ? Map.of() : bounds;
            onFail = onFail == null ? Reaction.ROLL_BACK : onFail;
        }
    }

    /**
     * What staging asks of a candidate before approval opens (or before an automatically approved one moves on):
     * {@code soak}, the least time it must have served in staging.
     */
    @Schema(name = "PolicyStaging")
    public record Staging(Duration soak) {
    }

    /**
     * Who may promote in an emergency past a freeze, the stopped line or the approval quorum ({@code roles}, people's
     * roles only), and by when someone else must review it ({@code reviewWithin}). Absent: no break-glass.
     */
    @Schema(name = "PolicyBreakGlass")
    public record BreakGlass(List<String> roles, Duration reviewWithin) {

        public BreakGlass {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    /** The soak time in staging, if the policy sets one. */
    public java.util.Optional<Duration> soak() {
        return staging == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(staging.soak());
    }

    /** The quorum for one risk tier. */
    @Schema(name = "PolicyApproval")
    public record Approval(int required, List<String> groups, boolean distinctGroups) {
    }

    /**
     * How long each waiting stage may last, and when to remind approvers. {@code approvalValidity}: how long an
     * approval stays good while a freeze or the stopped line holds the production request; past it, the candidate is
     * rejected and must be submitted again.
     */
    public record Timeouts(Duration evaluation, Duration staging, Duration approval, Duration production,
                           Duration approvalReminder, Duration approvalValidity) {
    }

    public PipelinePolicy {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        evaluation = evaluation == null ? new Evaluation(null, null, null) : evaluation;
        approvals = approvals == null ? Map.of() : approvals;
        risk = risk == null ? new Risk(null, null, null, null) : risk;
    }

    /** The suites a re-evaluation runs: its own list, or the promotion's. */
    public List<String> reevaluationSuites() {
        return reevaluation == null || reevaluation.suites() == null ? evaluation.suites() : reevaluation.suites();
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
        bounds(problems, "evaluation.thresholds", evaluation.thresholds());
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
            if (timeouts.approvalValidity() != null) {
                positive(problems, "timeouts.approvalValidity", timeouts.approvalValidity());
            }
            if (timeouts.approvalReminder() != null) {
                positive(problems, "timeouts.approvalReminder", timeouts.approvalReminder());
                if (timeouts.approval() != null && timeouts.approvalReminder().compareTo(timeouts.approval()) >= 0) {
                    problems.add("timeouts.approvalReminder must be shorter than timeouts.approval");
                }
            }
        }
        reevaluationProblems(problems);
        verificationProblems(problems);
        if (breakGlass != null) {
            if (breakGlass.roles().isEmpty() || !List.of("approver", "risk-officer", "admin").containsAll(breakGlass.roles())) {
                problems.add("breakGlass.roles must name at least one of approver, risk-officer, admin (people's roles)");
            }
            positive(problems, "breakGlass.reviewWithin", breakGlass.reviewWithin());
        }
        if (soak().isPresent()) {
            positive(problems, "staging.soak", soak().get());
            if (skipStaging) {
                problems.add("staging.soak needs a staging deployment: skipStaging is true");
            }
        }
        if (risk.pinnedModels() != null) {
            try {
                Pattern.compile(risk.pinnedModels());
            } catch (java.util.regex.PatternSyntaxException e) {
                problems.add("risk.pinnedModels is not a regular expression: " + e.getDescription());
            }
        }
        return problems;
    }

    private void reevaluationProblems(List<String> problems) {
        if (reevaluation == null) {
            return;
        }
        if (reevaluation.suites() != null) {
            reevaluation.suites().forEach(suite -> {
                if (suite == null || !NAME.matcher(suite).matches()) {
                    problems.add("reevaluation.suites: '" + suite + "' must match [a-z0-9][a-z0-9._-]{0,62}");
                }
            });
        }
        bounds(problems, "reevaluation.triggers.drift", reevaluation.triggers().drift());
        if (reevaluation.every() != null) {
            positive(problems, "reevaluation.every", reevaluation.every());
        }
        if (reevaluation.timeout() != null) {
            positive(problems, "reevaluation.timeout", reevaluation.timeout());
        }
        if (reevaluation.decisionTimeout() != null) {
            positive(problems, "reevaluation.decisionTimeout", reevaluation.decisionTimeout());
        }
        if (reevaluation.onPass() == Reaction.ROLL_BACK) {
            problems.add("reevaluation.onPass must be ACCEPT or ASK");
        }
        if (reevaluation.onFail() == Reaction.ACCEPT) {
            problems.add("reevaluation.onFail must be ASK or ROLL_BACK: a failed re-evaluation is never accepted quietly");
        }
        Approval decision = reevaluation.decision();
        if (decision != null && (decision.required() < 1 || decision.groups() == null || decision.groups().isEmpty())) {
            problems.add("reevaluation.decision needs required of at least 1 and at least one group");
        }
    }

    private void verificationProblems(List<String> problems) {
        if (verification == null) {
            return;
        }
        if (verification.window() == null) {
            problems.add("verification.window is required (ISO-8601, e.g. PT2H)");
        } else {
            positive(problems, "verification.window", verification.window());
        }
        bounds(problems, "verification.bounds", verification.bounds());
        if (verification.onFail() == Reaction.ACCEPT) {
            problems.add("verification.onFail must be ROLL_BACK or ASK");
        }
    }

    private static void bounds(List<String> problems, String field, Map<String, Threshold> bounds) {
        bounds.forEach((metric, t) -> {
            if (t == null || (t.min() == null && t.max() == null)) {
                problems.add(field + "." + metric + " needs min or max");
            } else if (t.min() != null && t.max() != null && t.min() > t.max()) {
                problems.add(field + "." + metric + " has min above max");
            }
        });
    }

    private static void positive(List<String> problems, String field, Duration value) {
        if (value == null) {
            problems.add(field + " is required (ISO-8601, e.g. PT24H)");
        } else if (value.isNegative() || value.isZero()) {
            problems.add(field + " must be positive");
        }
    }
}
