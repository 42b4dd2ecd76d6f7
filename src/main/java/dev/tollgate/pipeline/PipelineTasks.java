package dev.tollgate.pipeline;

import dev.tollgate.approval.ApprovalService;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.HistoryEntry;
import dev.tollgate.candidate.Kind;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.EventTypes;
import dev.tollgate.release.DeploymentResult;
import dev.tollgate.release.DeploymentService;
import dev.tollgate.release.Releases;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The service tasks of promotion.bpmn and rollback.bpmn. The BPMN names this class and these
 * methods: rename them together with the diagrams. Each method is one step of the flow, works
 * through Tollgate's services inside the engine's transaction, and takes the candidate id.
 */
@ApplicationScoped
@Transactional
public class PipelineTasks {

    // Field injection here only: the handlers KIE generates for service tasks compile a fallback
    // "new PipelineTasks()", so this class needs a no-argument constructor.
    @Inject
    CandidateRepository candidates;
    @Inject
    PipelinePolicies policies;
    @Inject
    Transitions transitions;
    @Inject
    ApprovalService approvals;
    @Inject
    EvaluationService evaluations;
    @Inject
    DeploymentService deployments;
    @Inject
    RiskDecision riskDecision;
    @Inject
    Releases releases;
    @Inject
    Timers timers;
    @Inject
    EntityManager em;
    @Inject
    Clock clock;

    /** SUBMITTED → EVALUATING. Returns whether required evaluation suites have yet to report. */
    public Boolean startEvaluation(String candidateId) {
        Candidate candidate = lock(candidateId);
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        List<String> suites = policy.evaluation().suites();
        transitions.move(candidate, Stage.EVALUATING, EventTypes.EVALUATION_STARTED, Transitions.SYSTEM,
                suites.isEmpty() ? "Evaluation started" : "Waiting for evaluation suites " + String.join(", ", suites),
                Map.of("requiredSuites", suites));
        if (suites.isEmpty()) {
            return false;
        }
        timers.schedule(candidate.id, ScheduledTimer.Purpose.EVALUATION_TIMEOUT, null, policy.timeouts().evaluation());
        return true;
    }

    /**
     * Runs every gate of the pinned policy (suites reported and passed, thresholds, no regression
     * against production), records each check with its inputs, and moves the candidate to
     * RISK_REVIEW (evaluation passed) or FAILED (evaluation failed, or timed out).
     */
    public Boolean evaluateGates(String candidateId) {
        Candidate candidate = lock(candidateId);
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.EVALUATION_TIMEOUT));
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        List<String> pending = evaluations.pendingSuites(candidate);
        if (!pending.isEmpty()) {
            transitions.move(candidate, Stage.FAILED, EventTypes.EVALUATION_FAILED, Transitions.SYSTEM,
                    "timeout: evaluation suites " + String.join(", ", pending) + " did not report within "
                            + policy.timeouts().evaluation(), Map.of("pendingSuites", pending, "timeout", true));
            return false;
        }
        Map<String, Double> metrics = evaluations.metricsOf(candidate);
        Map<String, Double> baseline = productionMetrics(candidate).orElse(null);
        List<GateCheck> checks = new ArrayList<>(suiteChecks(candidate, policy));
        checks.addAll(ThresholdGate.evaluate(policy.evaluation().thresholds(), metrics));
        checks.addAll(RegressionGate.evaluate(policy.evaluation().regression(), metrics, baseline));
        record(candidate, checks);
        List<GateCheck> failed = checks.stream().filter(c -> !c.passed()).toList();
        Map<String, Object> data = Map.of("gates", checks.stream().map(PipelineTasks::gateData).toList());
        if (failed.isEmpty()) {
            transitions.move(candidate, Stage.RISK_REVIEW, EventTypes.EVALUATION_PASSED, Transitions.SYSTEM,
                    checks.size() + " gate checks passed", data);
            return true;
        }
        transitions.move(candidate, Stage.FAILED, EventTypes.EVALUATION_FAILED, Transitions.SYSTEM,
                failed.stream().map(GateCheck::detail).collect(Collectors.joining("; ")), data);
        return false;
    }

    /** Evaluates risk.dmn on the candidate's facts and records the tier and its reasons. */
    public String assessRisk(String candidateId) {
        Candidate candidate = lock(candidateId);
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        Optional<Candidate> production = candidates.inProduction(candidate.kind, candidate.name);
        Map<String, Double> metrics = evaluations.metricsOf(candidate);
        RiskLabels.Factor customerFacing = RiskLabels.factor(RiskLabels.CUSTOMER_FACING, candidate.labels, policy);
        RiskLabels.Factor handlesPii = RiskLabels.factor(RiskLabels.HANDLES_PII, candidate.labels, policy);
        RiskDecision.Facts facts = new RiskDecision.Facts(
                customerFacing.value(),
                handlesPii.value(),
                production.isEmpty(),
                RegressionGate.worstRelativeDrop(policy.evaluation().regression(), metrics,
                        production.map(evaluations::metricsOf).orElse(null)),
                providerOrModelChanged(candidate, production.orElse(null)));
        RiskDecision.Outcome decided = riskDecision.decide(facts);
        List<String> reasons = new ArrayList<>(decided.reasons());
        List<String> distrusted = new ArrayList<>();
        if (customerFacing.overridden()) {
            distrusted.add(RiskLabels.CUSTOMER_FACING);
        }
        if (handlesPii.overridden()) {
            distrusted.add(RiskLabels.HANDLES_PII);
        }
        for (String label : distrusted) {
            reasons.add(label + " is owned by pipeline " + candidate.pipeline + ": the submitter's '"
                    + candidate.labels.get(label) + "' is not trusted, so it counts as true");
        }
        RiskDecision.Outcome outcome = new RiskDecision.Outcome(decided.tier(), reasons);
        RiskAssessment assessment = new RiskAssessment();
        assessment.candidateId = candidate.id;
        assessment.tier = outcome.tier();
        assessment.reasons = outcome.reasons();
        assessment.inputs = facts.asMap();
        assessment.assessedAt = clock.instant();
        em.persist(assessment);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tier", outcome.tier().name());
        data.put("reasons", outcome.reasons());
        data.put("facts", facts.asMap());
        if (!distrusted.isEmpty()) {
            data.put("distrustedLabels", distrusted);
        }
        transitions.record(candidate, EventTypes.RISK_ASSESSED, Transitions.SYSTEM,
                outcome.tier() + ": " + String.join("; ", outcome.reasons()), data);
        return outcome.tier().name();
    }

    /** RISK_REVIEW → DEPLOYING_STAGING: tells the deployers to deploy to staging. */
    public void requestStaging(String candidateId) {
        requestDeployment(lock(candidateId), Stage.DEPLOYING_STAGING, Releases.STAGING,
                ScheduledTimer.Purpose.STAGING_TIMEOUT);
    }

    /** Reads the staging result: deployed (true), or failed / timed out (FAILED, false). */
    public Boolean checkStaging(String candidateId) {
        Candidate candidate = lock(candidateId);
        return checkDeployment(candidate, Releases.STAGING, ScheduledTimer.Purpose.STAGING_TIMEOUT,
                policies.pinned(candidate.policyDigest).timeouts().staging().toString(), Stage.FAILED);
    }

    /**
     * DEPLOYING_STAGING → AWAITING_APPROVAL: opens the approval task for the risk tier's quorum, or
     * approves at once when the tier is LOW and the policy allows it. Returns the groups that must
     * vote, comma-separated; empty when no human approval is needed.
     */
    public String openApproval(String candidateId) {
        Candidate candidate = lock(candidateId);
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        RiskTier tier = em.find(RiskAssessment.class, candidate.id).tier;
        // Automatic approval needs evidence from someone other than the submitter: without it, a person approves.
        if (tier == RiskTier.LOW && policy.autoApproveLow() && evaluations.independentlyEvaluated(candidate)) {
            transitions.move(candidate, Stage.AWAITING_APPROVAL, EventTypes.APPROVED, Transitions.SYSTEM,
                    "LOW risk: approved by policy " + candidate.pipeline + " (autoApproveLow)",
                    Map.of("tier", tier.name(), "automatic", true));
            return "";
        }
        return approvals.open(candidate, tier, policy.approvalFor(tier), policy.timeouts());
    }

    /** AWAITING_APPROVAL → DEPLOYING_PRODUCTION: tells the deployers to deploy to production. */
    public void requestProduction(String candidateId) {
        requestDeployment(lock(candidateId), Stage.DEPLOYING_PRODUCTION, Releases.PRODUCTION,
                ScheduledTimer.Purpose.PRODUCTION_TIMEOUT);
    }

    /** Reads the production result: deployed (true), or failed / timed out (FAILED, false). */
    public Boolean checkProduction(String candidateId) {
        Candidate candidate = lock(candidateId);
        return checkDeployment(candidate, Releases.PRODUCTION, ScheduledTimer.Purpose.PRODUCTION_TIMEOUT,
                policies.pinned(candidate.policyDigest).timeouts().production().toString(), Stage.FAILED);
    }

    /**
     * DEPLOYING_PRODUCTION → IN_PRODUCTION, retiring the version that served before, under the
     * (kind, name) release lock: never zero or two versions in production.
     */
    public void promote(String candidateId) {
        Candidate candidate = lock(candidateId);
        candidates.lockRelease(candidate.kind, candidate.name);
        serveInProduction(candidate, "Deployed to production", false, previous -> transitions.move(previous,
                Stage.RETIRED, EventTypes.RETIRED, Transitions.SYSTEM,
                "Replaced in production by version " + candidate.version, Map.of("replacedBy", candidate.version)));
    }


    /** AWAITING_APPROVAL → REJECTED, crediting the person whose vote rejected it (or the timeout). */
    public void reject(String candidateId) {
        Candidate candidate = lock(candidateId);
        ApprovalService.Rejection rejection = approvals.rejectionOf(candidate.id);
        transitions.move(candidate, Stage.REJECTED, EventTypes.REJECTED, rejection.by(), rejection.comment(),
                Map.of("rejectedBy", rejection.by(), "timeout", rejection.timeout()));
    }

    /** rollback.bpmn: the rollback deployment's result decides whether the candidate serves again. */
    public void finishRollback(String candidateId) {
        Candidate target = lock(candidateId);
        candidates.lockRelease(target.kind, target.name);
        timers.cancel(target.id, List.of(ScheduledTimer.Purpose.PRODUCTION_TIMEOUT));
        target.rollbackInstanceId = null;
        Optional<DeploymentResult> result = deployments.accepted(target.id, Releases.PRODUCTION, enteredAt(target));
        if (result.isEmpty() || !result.get().succeeded()) {
            String reason = result.map(r -> "rollback deployment failed: " + Objects.toString(r.detail, "no detail"))
                    .orElse("timeout: no rollback deployment result within "
                            + policies.pinned(target.policyDigest).timeouts().production());
            transitions.move(target, Stage.RETIRED, EventTypes.FAILED, Transitions.SYSTEM, reason,
                    Map.of("stage", Releases.PRODUCTION, "rollback", true));
            return;
        }
        String deployer = result.get().reportedBy;
        serveInProduction(target, "Back in production by rollback", true, current -> transitions.move(current,
                Stage.ROLLED_BACK, EventTypes.ROLLEDBACK, deployer, "Rolled back to version " + target.version,
                Map.of("rolledBackTo", target.version)));
    }

    /**
     * The candidate becomes the version in production of its (kind, name); the caller holds the
     * release lock. The version it replaces, if any, is locked and handed to {@code replaced} first,
     * so that there is never zero or two versions in production.
     */
    private void serveInProduction(Candidate candidate, String reason, boolean rollback, Consumer<Candidate> replaced) {
        Candidate previous = candidates.inProduction(candidate.kind, candidate.name)
                .filter(p -> !p.id.equals(candidate.id))
                .map(p -> candidates.lock(p.id))
                .orElse(null);
        if (previous != null) {
            replaced.accept(previous);
        }
        releases.start(candidate, Releases.PRODUCTION);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("previousVersion", previous == null ? null : previous.version);
        if (rollback) {
            data.put("rollback", true);
        }
        transitions.move(candidate, Stage.IN_PRODUCTION, EventTypes.PROMOTED, Transitions.SYSTEM, reason, data);
    }

    private void requestDeployment(Candidate candidate, Stage stage, String environment, ScheduledTimer.Purpose timeout) {
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        transitions.move(candidate, stage, EventTypes.DEPLOYING, Transitions.SYSTEM,
                "Deploy version " + candidate.version + " to " + environment, Map.of("stage", environment));
        timers.schedule(candidate.id, timeout, null,
                environment.equals(Releases.STAGING) ? policy.timeouts().staging() : policy.timeouts().production());
    }

    private Boolean checkDeployment(Candidate candidate, String environment, ScheduledTimer.Purpose timeout,
                                    String limit, Stage onFailure) {
        // A success changes what serves: the release lock before any write (docs/operations.md, "Locks").
        candidates.lockRelease(candidate.kind, candidate.name);
        timers.cancel(candidate.id, List.of(timeout));
        Optional<DeploymentResult> result = deployments.accepted(candidate.id, environment, enteredAt(candidate));
        if (result.isPresent() && result.get().succeeded()) {
            DeploymentResult r = result.get();
            if (environment.equals(Releases.STAGING)) {
                releases.start(candidate, Releases.STAGING);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("stage", environment);
            data.put("environment", r.environment);
            data.put("detail", r.detail);
            transitions.record(candidate, EventTypes.DEPLOYED, r.reportedBy,
                    "Deployed to " + environment + (r.environment == null ? "" : " (" + r.environment + ")"), data);
            return true;
        }
        String reason = result.map(r -> environment + " deployment failed: " + Objects.toString(r.detail, "no detail"))
                .orElse("timeout: no " + environment + " deployment result within " + limit);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stage", environment);
        data.put("timeout", result.isEmpty());
        transitions.move(candidate, onFailure, EventTypes.FAILED,
                result.map(r -> r.reportedBy).orElse(Transitions.SYSTEM), reason, data);
        return false;
    }

    /** When the candidate entered its current stage: results received before belong to an earlier wait. */
    private Instant enteredAt(Candidate candidate) {
        List<HistoryEntry> history = candidates.history(candidate.id);
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry entry = history.get(i);
            if (entry.toStage == candidate.stage && entry.fromStage != candidate.stage) {
                return entry.at;
            }
        }
        return candidate.submittedAt;
    }

    private List<GateCheck> suiteChecks(Candidate candidate, PipelinePolicy policy) {
        Map<String, EvaluationReport> latest = new LinkedHashMap<>();
        evaluations.reports(candidate.id).forEach(r -> latest.put(r.suite, r));
        return policy.evaluation().suites().stream().map(suite -> {
            EvaluationReport report = latest.get(suite);
            boolean passed = report != null && !Boolean.FALSE.equals(report.passed);
            String detail = report == null ? suite + " did not report"
                    : passed ? suite + " reported by " + report.reportedBy
                    : suite + " reported a failure" + (report.reportUri == null ? "" : " (" + report.reportUri + ")");
            return new GateCheck(GateCheck.SUITE, suite, null, "REPORTED", null, null, passed, detail);
        }).toList();
    }

    private Optional<Map<String, Double>> productionMetrics(Candidate candidate) {
        return candidates.inProduction(candidate.kind, candidate.name)
                .filter(p -> !p.id.equals(candidate.id))
                .map(evaluations::metricsOf);
    }

    private static boolean providerOrModelChanged(Candidate candidate, Candidate production) {
        if (candidate.kind != Kind.PROMPT || production == null || production.prompt == null || candidate.prompt == null) {
            return false;
        }
        return !Objects.equals(candidate.prompt.get("provider"), production.prompt.get("provider"))
                || !Objects.equals(candidate.prompt.get("model"), production.prompt.get("model"));
    }

    private void record(Candidate candidate, List<GateCheck> checks) {
        Instant now = clock.instant();
        for (GateCheck check : checks) {
            GateResult result = new GateResult();
            result.candidateId = candidate.id;
            result.gate = check.gate();
            result.metric = check.metric();
            result.value = check.value();
            result.operator = check.operator();
            result.bound = check.bound();
            result.baseline = check.baseline();
            result.passed = check.passed();
            result.detail = check.detail();
            result.evaluatedAt = now;
            em.persist(result);
        }
    }

    private static Map<String, Object> gateData(GateCheck c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gate", c.gate());
        m.put("metric", c.metric());
        m.put("value", c.value());
        m.put("operator", c.operator());
        m.put("bound", c.bound());
        m.put("baseline", c.baseline());
        m.put("passed", c.passed());
        return m;
    }

    private Candidate lock(String candidateId) {
        return candidates.lock(UUID.fromString(candidateId));
    }
}
