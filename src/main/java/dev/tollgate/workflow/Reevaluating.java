package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTasks;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.watch.Reevaluation;
import dev.tollgate.watch.Reevaluations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;

/**
 * The steps of a re-evaluation's life that signals, timers and reevaluation.bpmn share: the policy that watches a
 * version, opening a re-evaluation and starting its process, ending one without a verdict. The caller holds the
 * version's row lock.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Reevaluating {

    private final PipelinePolicies policies;
    private final Reevaluations reevaluations;
    private final ApprovalTasks approvals;
    private final Timers timers;
    private final Transitions transitions;
    private final PromotionProcess process;

    Reevaluating(PipelinePolicies policies, Reevaluations reevaluations, ApprovalTasks approvals, Timers timers,
                 Transitions transitions, PromotionProcess process) {
        this.policies = policies;
        this.reevaluations = reevaluations;
        this.approvals = approvals;
        this.timers = timers;
        this.transitions = transitions;
        this.process = process;
    }

    /**
     * The policy that watches a version in production: its pipeline's policy as it is now (watching is about today's
     * bar, not the one of the day it was promoted), or the policy it pinned when the pipeline no longer exists.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PipelinePolicy policy(Candidate candidate) {
        return policies.find(candidate.pipeline).map(PipelinePolicies.Loaded::policy)
                .orElseGet(() -> policies.pinned(candidate.policyDigest));
    }

    /** Opens a re-evaluation under the policy as it is now, pinned by its digest. */
    public Reevaluation open(Candidate candidate, PipelinePolicy policy, Reevaluation.Trigger trigger, String reason) {
        List<String> suites = trigger == Reevaluation.Trigger.VERIFICATION ? List.of() : policy.reevaluationSuites();
        Duration timeout = policy.reevaluation() != null && policy.reevaluation().timeout() != null
                ? policy.reevaluation().timeout() : policy.timeouts().evaluation();
        String digest = policies.find(candidate.pipeline).map(loaded -> policies.pin(loaded.policy().name()).digest())
                .orElse(candidate.policyDigest);
        return reevaluations.open(candidate, trigger, reason, digest, suites, timeout);
    }

    /** Starts the re-evaluation's process; it runs in this transaction up to its first wait. */
    public void run(Reevaluation reevaluation) {
        process.startReevaluation(reevaluation.id.toString(), id -> reevaluation.processInstanceId = id);
    }

    /**
     * Ends a re-evaluation without a verdict ({@code why}: ALERT_RESOLVED, LEFT_PRODUCTION, SUPERSEDED): its process
     * stops, its decision task closes, its timers end, and the version's history says so.
     */
    public void end(Reevaluation reevaluation, Candidate candidate, String why, String detail) {
        if (reevaluation.processInstanceId != null) {
            process.abort(reevaluation.processInstanceId);
        }
        approvals.cancelDecision(reevaluation.id);
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.REEVALUATION_TIMEOUT,
                ScheduledTimer.Purpose.APPROVAL_TIMEOUT, ScheduledTimer.Purpose.APPROVAL_REMINDER));
        reevaluations.end(reevaluation, Reevaluation.Status.ENDED, detail);
        transitions.record(candidate, new PromotionEvent.ReevaluationEnded(reevaluation.id.toString(), why),
                Transitions.SYSTEM, "Re-evaluation ended: " + detail);
    }
}
