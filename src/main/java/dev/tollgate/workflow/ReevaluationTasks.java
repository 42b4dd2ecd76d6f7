package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTask;
import dev.tollgate.approval.ApprovalTasks;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.pipeline.EvaluationReport;
import dev.tollgate.pipeline.EvaluationService;
import dev.tollgate.pipeline.GateCheck;
import dev.tollgate.pipeline.Gates;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.pipeline.RiskAssessor;
import dev.tollgate.pipeline.RiskTier;
import dev.tollgate.watch.ProductionWatches;
import dev.tollgate.watch.Reevaluation;
import dev.tollgate.watch.Reevaluations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The service tasks of reevaluation.bpmn, which re-evaluates a version in production. The BPMN names this class and
 * these methods: rename them together with the diagram. Each step locks the version first, then its re-evaluation.
 */
@ApplicationScoped
@Transactional
public class ReevaluationTasks {

    // Field injection here only, as in PipelineTasks: KIE's generated handlers need a no-argument constructor.
    @Inject
    CandidateRepository candidates;
    @Inject
    Reevaluations reevaluations;
    @Inject
    PipelinePolicies policies;
    @Inject
    EvaluationService evaluations;
    @Inject
    Gates gates;
    @Inject
    RiskAssessor risk;
    @Inject
    ApprovalTasks approvals;
    @Inject
    Rollbacks rollbacks;
    @Inject
    ProductionWatches watches;
    @Inject
    Transitions transitions;
    @Inject
    Timers timers;
    @Inject
    Clock clock;

    /** Announces the re-evaluation and asks for its suites; returns whether suites have yet to report. */
    public Boolean startReevaluation(String reevaluationId) {
        Step step = lock(reevaluationId);
        Reevaluation r = step.reevaluation();
        List<String> suites = r.suiteList();
        transitions.record(step.candidate(), new PromotionEvent.ReevaluationStarted(r.id.toString(), r.trigger.name(),
                suites, r.dueAt == null ? null : r.dueAt.toString(), r.policyDigest), Transitions.SYSTEM,
                "Re-evaluating version " + step.candidate().version + " (" + r.reason + ")"
                        + (suites.isEmpty() ? "" : ": waiting for suites " + String.join(", ", suites)));
        if (suites.isEmpty()) {
            return false;
        }
        timers.schedule(step.candidate().id, ScheduledTimer.Purpose.REEVALUATION_TIMEOUT, r.id,
                Duration.between(clock.instant(), r.dueAt));
        return true;
    }

    /**
     * The verdict: the suites again against the gates and the original evaluation (a verification failure has its
     * verdict already), and the reaction the policy asks for: NONE, ASK or ROLL_BACK.
     */
    public String judge(String reevaluationId) {
        Step step = lock(reevaluationId);
        Candidate candidate = step.candidate();
        Reevaluation r = step.reevaluation();
        if (r.status != Reevaluation.Status.RUNNING || r.judgedAt != null) {
            return Reevaluation.Reaction.NONE.name();
        }
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.REEVALUATION_TIMEOUT));
        PipelinePolicy policy = policies.pinned(r.policyDigest);
        Verdict verdict = r.trigger == Reevaluation.Trigger.VERIFICATION ? new Verdict(false, r.gates, List.of(), List.of())
                : verdict(candidate, r, policy);
        Reevaluation.Reaction reaction = reaction(r, policy, verdict.passed());
        Optional<Candidate> target = Optional.empty();
        String note = "";
        if (reaction == Reevaluation.Reaction.ROLL_BACK) {
            target = rollbacks.previous(candidate);
            if (target.isEmpty()) {
                reaction = Reevaluation.Reaction.ASK;
                note = "; no earlier version to roll back to, so people decide";
            }
        }
        reevaluations.judged(r, verdict.passed() ? Reevaluation.Verdict.PASSED : Reevaluation.Verdict.FAILED, reaction,
                verdict.gates(), verdict.comparisonMaps());
        List<PromotionEvent.Gate> gateEvents = verdict.gates().stream().map(ReevaluationTasks::gateEvent).toList();
        if (verdict.passed()) {
            transitions.record(candidate, new PromotionEvent.ReevaluationPassed(r.id.toString(), gateEvents,
                    verdict.comparison(), reaction.name()), Transitions.SYSTEM, "Re-evaluation passed"
                    + (reaction == Reevaluation.Reaction.ASK ? "; the policy asks people to confirm" : ""));
        } else {
            transitions.record(candidate, new PromotionEvent.ReevaluationFailed(r.id.toString(), gateEvents,
                    verdict.comparison(), verdict.pending().isEmpty() ? null : true,
                    verdict.pending().isEmpty() ? null : verdict.pending(), reaction.name(),
                    target.map(t -> t.version).orElse(null)), Transitions.SYSTEM,
                    "Re-evaluation failed: " + verdict.reason() + note);
        }
        if (reaction == Reevaluation.Reaction.NONE) {
            reevaluations.end(r, Reevaluation.Status.PASSED, "passed; version " + candidate.version + " keeps serving");
            acceptWhatAnswersNow(r);
        }
        return reaction.name();
    }

    /** Opens the "keep or roll back" task; returns the groups that may decide, comma-separated. */
    public String openDecision(String reevaluationId) {
        Step step = lock(reevaluationId);
        Candidate candidate = step.candidate();
        Reevaluation r = step.reevaluation();
        PipelinePolicy policy = policies.pinned(r.policyDigest);
        RiskTier tier = risk.find(candidate.id).map(a -> a.tier).orElse(RiskTier.MEDIUM);
        PipelinePolicy.Approval rule = policy.reevaluation() != null && policy.reevaluation().decision() != null
                ? policy.reevaluation().decision() : policy.approvalFor(tier);
        Duration timeout = policy.reevaluation() != null && policy.reevaluation().decisionTimeout() != null
                ? policy.reevaluation().decisionTimeout() : policy.timeouts().approval();
        ApprovalTasks.Opened opened = approvals.openDecision(candidate, r.id, r.processInstanceId, tier, rule, timeout);
        timers.schedule(candidate.id, ScheduledTimer.Purpose.APPROVAL_TIMEOUT, opened.taskId(), timeout);
        transitions.record(candidate, opened.event(), Transitions.SYSTEM, opened.reason());
        return String.join(",", rule.groups());
    }

    /** People kept the version (or nobody decided before the task expired: kept, and flagged). */
    public void keep(String reevaluationId) {
        Step step = lock(reevaluationId);
        Reevaluation r = step.reevaluation();
        if (!r.status.isOpen()) {
            return;
        }
        ApprovalTasks.Decision decision = approvals.decisionOf(r.id).orElseThrow();
        boolean expired = decision.status() == ApprovalTask.Status.EXPIRED;
        timers.cancel(step.candidate().id, Timers.APPROVAL);
        String how = expired ? "nobody decided before the task expired: kept, and flagged"
                : "kept by " + String.join(", ", decision.keptBy());
        r.decidedBy = expired ? null : String.join(",", decision.keptBy());
        transitions.record(step.candidate(), new PromotionEvent.ReevaluationDecided(r.id.toString(),
                        expired ? "EXPIRED" : "KEEP", decision.keptBy(), null),
                expired || decision.keptBy().isEmpty() ? Transitions.SYSTEM : decision.keptBy().get(decision.keptBy().size() - 1),
                "Version " + step.candidate().version + " " + how);
        reevaluations.end(r, Reevaluation.Status.KEPT, how);
        acceptWhatAnswersNow(r);
    }

    /**
     * Rolls back to the version that served before, through the rollback process and the deployers' handshake:
     * the policy's automatic reaction, or the decision of the person who chose it.
     */
    public void rollBack(String reevaluationId) {
        Step step = lock(reevaluationId);
        Candidate candidate = step.candidate();
        Reevaluation r = step.reevaluation();
        if (!r.status.isOpen()) {
            return;
        }
        Optional<ApprovalTasks.Decision> decided = approvals.decisionOf(r.id)
                .filter(d -> d.status() == ApprovalTask.Status.REJECTED);
        String actor = decided.map(ApprovalTasks.Decision::rolledBackBy).orElse(Transitions.SYSTEM);
        String why = decided.map(d -> "re-evaluation " + r.id + ", rolled back by " + d.rolledBackBy() + ": " + d.comment())
                .orElse("re-evaluation " + r.id + " failed (" + r.reason + ")");
        timers.cancel(candidate.id, Timers.APPROVAL);
        Candidate target = rollbacks.rollbackFrom(candidate, why, actor);
        decided.ifPresent(d -> transitions.record(candidate, new PromotionEvent.ReevaluationDecided(r.id.toString(),
                "ROLL_BACK", List.of(d.rolledBackBy()), target.version), d.rolledBackBy(), d.comment()));
        r.rollbackTo = target.id;
        r.decidedBy = decided.map(ApprovalTasks.Decision::rolledBackBy).orElse(null);
        reevaluations.end(r, Reevaluation.Status.ROLLED_BACK, "rollback to version " + target.version + " requested"
                + (decided.isPresent() ? " by " + actor : " automatically"));
    }

    /** After a provider change that passed (or was kept), what the provider answers with now is the pinned snapshot. */
    private void acceptWhatAnswersNow(Reevaluation r) {
        if (r.trigger == Reevaluation.Trigger.PROVIDER_CHANGE || r.trigger == Reevaluation.Trigger.ALIAS_CHANGE) {
            watches.find(r.candidateId).ifPresent(watches::acceptObserved);
        }
    }

    private Verdict verdict(Candidate candidate, Reevaluation r, PipelinePolicy policy) {
        List<EvaluationReport> reports = evaluations.reportsOf(r.id);
        Set<String> reported = new LinkedHashSet<>(reports.stream().map(report -> report.suite).toList());
        List<String> pending = r.suiteList().stream().filter(s -> !reported.contains(s)).toList();
        Map<String, Double> original = evaluations.metricsOf(candidate);
        List<GateCheck> checks = gates.rejudge(policy, r.suiteList(), reports, original);
        Map<String, Double> now = new LinkedHashMap<>(original);
        reports.forEach(report -> now.putAll(report.metrics));
        List<PromotionEvent.Comparison> comparison = new ArrayList<>();
        Set<String> metrics = new LinkedHashSet<>(original.keySet());
        metrics.addAll(now.keySet());
        metrics.forEach(m -> comparison.add(new PromotionEvent.Comparison(m, original.get(m), now.get(m))));
        boolean passed = pending.isEmpty() && checks.stream().allMatch(GateCheck::passed);
        return new Verdict(passed, checks.stream().map(ReevaluationTasks::gateMap).toList(), comparison, pending);
    }

    private static Reevaluation.Reaction reaction(Reevaluation r, PipelinePolicy policy, boolean passed) {
        PipelinePolicy.Reaction chosen;
        if (r.trigger == Reevaluation.Trigger.VERIFICATION) {
            chosen = policy.verification() == null ? PipelinePolicy.Reaction.ROLL_BACK : policy.verification().onFail();
        } else if (policy.reevaluation() == null) {
            chosen = passed ? PipelinePolicy.Reaction.ACCEPT : PipelinePolicy.Reaction.ASK;
        } else {
            chosen = passed ? policy.reevaluation().onPass() : policy.reevaluation().onFail();
        }
        return switch (chosen) {
            case ACCEPT -> Reevaluation.Reaction.NONE;
            case ASK -> Reevaluation.Reaction.ASK;
            case ROLL_BACK -> Reevaluation.Reaction.ROLL_BACK;
        };
    }

    private static Map<String, Object> gateMap(GateCheck c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gate", c.gate());
        m.put("metric", c.metric());
        m.put("value", c.value());
        m.put("operator", c.operator());
        m.put("bound", c.bound());
        m.put("baseline", c.baseline());
        m.put("passed", c.passed());
        m.put("detail", c.detail());
        return m;
    }

    private static PromotionEvent.Gate gateEvent(Map<String, Object> m) {
        return new PromotionEvent.Gate((String) m.get("gate"), (String) m.get("metric"), number(m.get("value")),
                (String) m.get("operator"), number(m.get("bound")), number(m.get("baseline")),
                Boolean.TRUE.equals(m.get("passed")));
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private Step lock(String reevaluationId) {
        UUID id = UUID.fromString(reevaluationId);
        Reevaluation found = reevaluations.find(id).orElseThrow(() -> new IllegalStateException("No re-evaluation " + id));
        // Lock order: the version first, then its re-evaluation.
        Candidate candidate = candidates.lock(found.candidateId);
        return new Step(candidate, reevaluations.lock(id));
    }

    private record Step(Candidate candidate, Reevaluation reevaluation) {
    }

    /** A verdict, its checks (as stored), the comparison with the original evaluation, the suites that never reported. */
    private record Verdict(boolean passed, List<Map<String, Object>> gates, List<PromotionEvent.Comparison> comparison,
                           List<String> pending) {

        List<Map<String, Object>> comparisonMaps() {
            return comparison.stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("metric", c.metric());
                m.put("original", c.original());
                m.put("now", c.now());
                return m;
            }).toList();
        }

        String reason() {
            if (!pending.isEmpty()) {
                return "timeout: suites " + String.join(", ", pending) + " did not report in time";
            }
            List<String> failed = gates.stream().filter(g -> !Boolean.TRUE.equals(g.get("passed")))
                    .map(g -> String.valueOf(g.get("detail"))).toList();
            return failed.isEmpty() ? "failed" : String.join("; ", failed);
        }
    }
}
