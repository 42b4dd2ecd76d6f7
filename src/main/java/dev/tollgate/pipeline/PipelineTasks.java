package dev.tollgate.pipeline;

import dev.tollgate.approval.ApprovalService;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The service tasks of promotion.bpmn. The BPMN names this class and these methods: rename them
 * together with the diagram. Each method is one step of the flow and does its work through
 * Tollgate's services, inside the engine's transaction.
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
    EntityManager em;
    @Inject
    Clock clock;

    /** SUBMITTED → EVALUATING. */
    public void startEvaluation(String candidateId) {
        Candidate candidate = candidates.lock(UUID.fromString(candidateId));
        transitions.move(candidate, Stage.EVALUATING, EventTypes.EVALUATION_STARTED, Transitions.SYSTEM,
                "Evaluation started", Map.of());
    }

    /**
     * Runs the gates of the pinned policy, records each result with its inputs, and moves the
     * candidate on (evaluation passed) or to FAILED (evaluation failed). Returns whether it passed.
     */
    public Boolean evaluateGates(String candidateId) {
        Candidate candidate = candidates.lock(UUID.fromString(candidateId));
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        List<ThresholdGate.Check> checks = ThresholdGate.evaluate(policy.thresholds(), candidate.metrics);
        Instant now = clock.instant();
        for (ThresholdGate.Check check : checks) {
            GateResult result = new GateResult();
            result.candidateId = candidate.id;
            result.gate = ThresholdGate.NAME;
            result.metric = check.metric();
            result.value = check.value();
            result.operator = check.operator().name();
            result.bound = check.bound();
            result.passed = check.passed();
            result.detail = check.detail();
            result.evaluatedAt = now;
            em.persist(result);
        }
        List<ThresholdGate.Check> failed = checks.stream().filter(c -> !c.passed()).toList();
        if (failed.isEmpty()) {
            transitions.move(candidate, Stage.AWAITING_APPROVAL, EventTypes.EVALUATION_PASSED, Transitions.SYSTEM,
                    checks.size() + " gate checks passed", Map.of("gates", gateData(checks)));
            return true;
        }
        transitions.move(candidate, Stage.FAILED, EventTypes.EVALUATION_FAILED, Transitions.SYSTEM,
                failed.stream().map(ThresholdGate.Check::detail).collect(Collectors.joining("; ")),
                Map.of("gates", gateData(checks)));
        return false;
    }

    /**
     * Opens Tollgate's approval task for the candidate; the BPMN user task then waits for its
     * outcome. Returns the groups that may vote, which the user task takes as its GroupId.
     */
    public String openApproval(String candidateId) {
        Candidate candidate = candidates.lock(UUID.fromString(candidateId));
        PipelinePolicy.Approvals rule = policies.pinned(candidate.policyDigest).approvals();
        return approvals.open(candidate, rule.required(), rule.groups());
    }

    /** AWAITING_APPROVAL → IN_PRODUCTION, retiring the version that served before. */
    public void promote(String candidateId) {
        Candidate candidate = candidates.lock(UUID.fromString(candidateId));
        candidates.lockRelease(candidate.kind, candidate.name);
        Candidate previous = candidates.inProduction(candidate.kind, candidate.name).orElse(null);
        if (previous != null && !previous.id.equals(candidate.id)) {
            transitions.move(previous, Stage.RETIRED, EventTypes.RETIRED, Transitions.SYSTEM,
                    "Replaced in production by version " + candidate.version,
                    Map.of("replacedBy", candidate.version));
        }
        var data = new java.util.LinkedHashMap<String, Object>();
        data.put("previousVersion", previous == null ? null : previous.version);
        transitions.move(candidate, Stage.IN_PRODUCTION, EventTypes.PROMOTED, Transitions.SYSTEM,
                "Approved and promoted to production", data);
    }

    /** AWAITING_APPROVAL → REJECTED, crediting the person whose vote rejected it. */
    public void reject(String candidateId) {
        Candidate candidate = candidates.lock(UUID.fromString(candidateId));
        ApprovalService.Rejection rejection = approvals.rejectionOf(candidate.id);
        transitions.move(candidate, Stage.REJECTED, EventTypes.REJECTED, rejection.by(), rejection.comment(),
                Map.of("rejectedBy", rejection.by()));
    }

    private static List<Map<String, Object>> gateData(List<ThresholdGate.Check> checks) {
        return checks.stream().map(c -> {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("gate", ThresholdGate.NAME);
            m.put("metric", c.metric());
            m.put("value", c.value());
            m.put("operator", c.operator().name());
            m.put("bound", c.bound());
            m.put("passed", c.passed());
            return m;
        }).toList();
    }
}
