package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTasks;
import dev.tollgate.attestation.Attestation;
import dev.tollgate.attestation.Attestations;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.HistoryEntry;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.inventory.Inventory;
import dev.tollgate.pipeline.EvaluationService;
import dev.tollgate.pipeline.Gates;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.pipeline.RiskAssessor;
import dev.tollgate.pipeline.RiskTier;
import dev.tollgate.release.DeploymentResult;
import dev.tollgate.release.DeploymentService;
import dev.tollgate.release.Releases;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The service tasks of promotion.bpmn and rollback.bpmn. The BPMN names this class and these
 * methods: rename them together with the diagrams. Each method is one step of the flow: it locks the
 * candidate, asks the features for their outcome, announces it and schedules what the step waits for,
 * inside the engine's transaction.
 *
 * <p>Longer than 200 lines on purpose: the BPMN names one class for all its service tasks; each method is a short step that delegates to the features.
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
    ApprovalTasks approvals;
    @Inject
    EvaluationService evaluations;
    @Inject
    Gates gates;
    @Inject
    RiskAssessor risk;
    @Inject
    DeploymentService deployments;
    @Inject
    Releases releases;
    @Inject
    Timers timers;
    @Inject
    Watching watching;
    @Inject
    Inventory inventory;
    @Inject
    HeldDeployments held;
    @Inject
    PromotionAttestations attestations;
    @Inject
    java.time.Clock clock;
    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    /** SUBMITTED → EVALUATING. Returns whether required evaluation suites have yet to report. */
    public Boolean startEvaluation(String candidateId) {
        Candidate candidate = lock(candidateId);
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        List<String> suites = policy.evaluation().suites();
        transitions.move(candidate, Stage.EVALUATING, new PromotionEvent.EvaluationStarted(suites), Transitions.SYSTEM,
                suites.isEmpty() ? "Evaluation started" : "Waiting for evaluation suites " + String.join(", ", suites));
        if (suites.isEmpty()) {
            return false;
        }
        timers.schedule(candidate.id, ScheduledTimer.Purpose.EVALUATION_TIMEOUT, null, policy.timeouts().evaluation());
        return true;
    }

    /** Runs the gates: RISK_REVIEW (evaluation passed) or FAILED (evaluation failed, or timed out). */
    public Boolean evaluateGates(String candidateId) {
        Candidate candidate = lock(candidateId);
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.EVALUATION_TIMEOUT));
        Gates.Verdict verdict = gates.evaluate(candidate, candidates.inProduction(candidate.kind, candidate.name));
        transitions.move(candidate, verdict.passed() ? Stage.RISK_REVIEW : Stage.FAILED, verdict.event(),
                Transitions.SYSTEM, verdict.reason());
        return verdict.passed();
    }

    /** Evaluates risk.dmn on the candidate's facts (the owned ones from the inventory) and records the tier and its reasons. */
    public String assessRisk(String candidateId) {
        Candidate candidate = lock(candidateId);
        RiskAssessor.Assessed assessed = risk.assess(candidate, candidates.inProduction(candidate.kind, candidate.name),
                inventory.find(candidate.kind, candidate.name));
        transitions.record(candidate, assessed.event(), Transitions.SYSTEM, assessed.reason());
        return assessed.tier().name();
    }

    /**
     * RISK_REVIEW → DEPLOYING_STAGING: tells the deployers to deploy to staging. Returns whether a
     * staging result is awaited: false when the pinned policy skips staging ({@code skipStaging}), and
     * then the candidate stays in RISK_REVIEW until its approval opens.
     */
    public Boolean requestStaging(String candidateId) {
        Candidate candidate = lock(candidateId);
        if (policies.pinned(candidate.policyDigest).skipStaging()) {
            return false;
        }
        requestDeployment(candidate, Environment.STAGING);
        return true;
    }

    /** Reads the staging result: deployed (true), or failed / timed out (FAILED, false). */
    public Boolean checkStaging(String candidateId) {
        return checkDeployment(lock(candidateId), Environment.STAGING);
    }

    /**
     * After a successful staging deployment: whether the candidate must soak in staging first (true), for the
     * policy's {@code staging.soak} counted from the deployer's result; a timer ends the wait.
     */
    public Boolean startSoak(String candidateId) {
        Candidate candidate = lock(candidateId);
        Optional<Duration> soak = policies.pinned(candidate.policyDigest).soak();
        if (soak.isEmpty()) {
            return false;
        }
        Instant deployed = deployments.accepted(candidate.id, Environment.STAGING.name, enteredAt(candidate))
                .map(r -> r.receivedAt).orElse(clock.instant());
        Instant until = deployed.plus(soak.get());
        if (!until.isAfter(clock.instant())) {
            return false;
        }
        timers.scheduleAt(candidate.id, ScheduledTimer.Purpose.SOAK_END, null, until);
        transitions.record(candidate, new PromotionEvent.StagingSoaking(soak.get().toString(), until.toString()),
                Transitions.SYSTEM, "Soaking in staging for " + soak.get() + ", until " + until);
        return true;
    }

    /**
     * DEPLOYING_STAGING (or RISK_REVIEW, when staging is skipped) → AWAITING_APPROVAL: opens the approval task for the risk tier's quorum, or
     * approves at once when the tier is LOW and the policy allows it. Returns the groups that must
     * vote, comma-separated; empty when no human approval is needed.
     */
    public String openApproval(String candidateId) {
        Candidate candidate = lock(candidateId);
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        RiskTier tier = risk.find(candidate.id).orElseThrow().tier;
        // Automatic approval needs evidence from someone other than the submitter: without it, a person approves.
        if (tier == RiskTier.LOW && policy.autoApproveLow() && evaluations.independentlyEvaluated(candidate)) {
            transitions.move(candidate, Stage.AWAITING_APPROVAL, PromotionEvent.Approved.byPolicy(tier.name()),
                    Transitions.SYSTEM, "LOW risk: approved by policy " + candidate.pipeline + " (autoApproveLow)");
            return "";
        }
        PipelinePolicy.Approval rule = policy.approvalFor(tier);
        ApprovalTasks.Opened opened = approvals.open(candidate, tier, rule, policy.timeouts().approval());
        timers.schedule(candidate.id, ScheduledTimer.Purpose.APPROVAL_TIMEOUT, opened.taskId(),
                policy.timeouts().approval());
        if (policy.timeouts().approvalReminder() != null) {
            timers.schedule(candidate.id, ScheduledTimer.Purpose.APPROVAL_REMINDER, opened.taskId(),
                    policy.timeouts().approvalReminder());
        }
        transitions.move(candidate, Stage.AWAITING_APPROVAL, opened.event(), Transitions.SYSTEM, opened.reason());
        return String.join(",", rule.groups());
    }

    /**
     * Before asking for the production deployment: whether a freeze window, the stopped line or a newer held version
     * holds it (true, and the candidate waits in AWAITING_APPROVAL, approved, until it is looked at again).
     */
    public Boolean holdProduction(String candidateId) {
        return held.mustWait(lock(candidateId));
    }

    /**
     * AWAITING_APPROVAL → DEPLOYING_PRODUCTION: tells the deployers to deploy to production, with the attestation of
     * the decision for them to check.
     */
    public void requestProduction(String candidateId) {
        Candidate candidate = lock(candidateId);
        Attestations.Signed signed = attestations.sign(candidate, Attestation.Purpose.DEPLOY, null);
        requestDeployment(candidate, Environment.PRODUCTION, PromotionEvent.Deploying.attested(Environment.PRODUCTION.name,
                envelope(signed)));
    }

    /** Reads the production result: deployed (true), or failed / timed out (FAILED, false). */
    public Boolean checkProduction(String candidateId) {
        return checkDeployment(lock(candidateId), Environment.PRODUCTION);
    }

    /**
     * DEPLOYING_PRODUCTION → IN_PRODUCTION, retiring the version that served before, under the
     * (kind, name) release lock: never zero or two versions in production.
     */
    public void promote(String candidateId) {
        Candidate candidate = lock(candidateId);
        candidates.lockRelease(candidate.kind, candidate.name);
        DeploymentResult deployed = deployments.accepted(candidate.id, Releases.PRODUCTION, enteredAt(candidate))
                .orElseThrow();
        Attestations.Signed signed = attestations.sign(candidate, Attestation.Purpose.PROMOTION, deployed);
        serveInProduction(candidate, "Deployed to production", new PromotionEvent.Attested(signed.payloadDigest(),
                signed.keyId()), previous -> transitions.move(previous,
                Stage.RETIRED, new PromotionEvent.Retired(candidate.version), Transitions.SYSTEM,
                "Replaced in production by version " + candidate.version));
    }

    /** AWAITING_APPROVAL → REJECTED, crediting the person whose vote rejected it (or the timeout). */
    public void reject(String candidateId) {
        Candidate candidate = lock(candidateId);
        ApprovalTasks.Rejection rejection = approvals.rejectionOf(candidate.id);
        transitions.move(candidate, Stage.REJECTED, new PromotionEvent.Rejected(rejection.by(), rejection.timeout()),
                rejection.by(), rejection.comment());
    }

    /** rollback.bpmn: the rollback deployment's result decides whether the candidate serves again. */
    public void finishRollback(String candidateId) {
        Candidate target = lock(candidateId);
        candidates.lockRelease(target.kind, target.name);
        timers.cancel(target.id, List.of(Environment.PRODUCTION.timeout));
        target.rollbackInstanceId = null;
        Optional<DeploymentResult> result = deployments.accepted(target.id, Releases.PRODUCTION, enteredAt(target));
        if (result.isEmpty() || !result.get().succeeded()) {
            String reason = result.map(r -> "rollback deployment failed: " + Objects.toString(r.detail, "no detail"))
                    .orElse("timeout: no rollback deployment result within "
                            + policies.pinned(target.policyDigest).timeouts().production());
            transitions.move(target, Stage.RETIRED, PromotionEvent.DeploymentFailed.ofRollback(Releases.PRODUCTION),
                    Transitions.SYSTEM, reason);
            return;
        }
        String deployer = result.get().reportedBy;
        serveInProduction(target, "Back in production by rollback", null, current -> transitions.move(current,
                Stage.ROLLED_BACK, new PromotionEvent.RolledBack(target.version), deployer,
                "Rolled back to version " + target.version));
    }

    /**
     * The candidate becomes the version in production of its (kind, name), attested, or by rollback (no new
     * attestation: the version was attested when it first went to production); the caller holds the release lock. The version it replaces, if any, is locked and handed to {@code replaced} first,
     * so that there is never zero or two versions in production.
     */
    private void serveInProduction(Candidate candidate, String reason, PromotionEvent.Attested attested,
                                   Consumer<Candidate> replaced) {
        boolean rollback = attested == null;
        Candidate previous = candidates.inProduction(candidate.kind, candidate.name)
                .filter(p -> !p.id.equals(candidate.id))
                .map(p -> candidates.lock(p.id))
                .orElse(null);
        if (previous != null) {
            replaced.accept(previous);
            watching.leftProduction(previous, candidate.version);
        }
        releases.start(candidate, Releases.PRODUCTION);
        transitions.move(candidate, Stage.IN_PRODUCTION,
                new PromotionEvent.Promoted(previous == null ? null : previous.version, rollback ? true : null, attested),
                Transitions.SYSTEM, reason);
        watching.enteredProduction(candidate);
    }

    private void requestDeployment(Candidate candidate, Environment environment) {
        requestDeployment(candidate, environment, PromotionEvent.Deploying.to(environment.name));
    }

    private void requestDeployment(Candidate candidate, Environment environment, PromotionEvent.Deploying event) {
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        transitions.move(candidate, environment.deploying, event,
                Transitions.SYSTEM, "Deploy version " + candidate.version + " to " + environment.name);
        timers.schedule(candidate.id, environment.timeout, null, environment.limit(policy.timeouts()));
    }

    private Boolean checkDeployment(Candidate candidate, Environment environment) {
        // A success changes what serves: the release lock before any write (docs/operations.md, "Locks").
        candidates.lockRelease(candidate.kind, candidate.name);
        timers.cancel(candidate.id, List.of(environment.timeout));
        Optional<DeploymentResult> result = deployments.accepted(candidate.id, environment.name, enteredAt(candidate));
        if (result.isPresent() && result.get().succeeded()) {
            DeploymentResult r = result.get();
            if (environment == Environment.STAGING) {
                releases.start(candidate, Releases.STAGING);
            }
            transitions.record(candidate, new PromotionEvent.Deployed(environment.name, r.environment, r.detail),
                    r.reportedBy,
                    "Deployed to " + environment.name + (r.environment == null ? "" : " (" + r.environment + ")"));
            return true;
        }
        String reason = result.map(r -> environment.name + " deployment failed: " + Objects.toString(r.detail, "no detail"))
                .orElse("timeout: no " + environment.name + " deployment result within "
                        + environment.limit(policies.pinned(candidate.policyDigest).timeouts()));
        transitions.move(candidate, Stage.FAILED, PromotionEvent.DeploymentFailed.of(environment.name, result.isEmpty()),
                result.map(r -> r.reportedBy).orElse(Transitions.SYSTEM), reason);
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

    @SuppressWarnings("unchecked")
    private Map<String, Object> envelope(Attestations.Signed signed) {
        try {
            return json.readValue(signed.envelope(), Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A signed envelope is not JSON", e);
        }
    }

    private Candidate lock(String candidateId) {
        return candidates.lock(UUID.fromString(candidateId));
    }
}
