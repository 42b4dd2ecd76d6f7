package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTasks;
import dev.tollgate.breakglass.BreakGlass;
import dev.tollgate.breakglass.BreakGlassView;
import dev.tollgate.breakglass.BreakGlasses;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.freeze.Freezes;
import dev.tollgate.freeze.ProductionHolds;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Break-glass (docs/governance.md): an approved-or-waiting candidate goes on to production at once, past its open
 * approval task (QUORUM) and past a freeze window, the stopped line or a newer held version (FREEZE), because someone
 * the pipeline names says it must, with a reason. Someone else reviews it by a deadline; a durable timer escalates
 * it when nobody has.
 */
@ApplicationScoped
@Transactional
public class EmergencyPromotions {

    private final CandidateRepository candidates;
    private final PipelinePolicies policies;
    private final BreakGlasses breakGlasses;
    private final ApprovalTasks approvals;
    private final ProductionHolds holds;
    private final Freezes freezes;
    private final PromotionProcess process;
    private final Transitions transitions;
    private final Timers timers;
    private final Clock clock;

    EmergencyPromotions(CandidateRepository candidates, PipelinePolicies policies, BreakGlasses breakGlasses,
                        ApprovalTasks approvals, ProductionHolds holds, Freezes freezes, PromotionProcess process,
                        Transitions transitions, Timers timers, Clock clock) {
        this.candidates = candidates;
        this.policies = policies;
        this.breakGlasses = breakGlasses;
        this.approvals = approvals;
        this.holds = holds;
        this.freezes = freezes;
        this.process = process;
        this.transitions = transitions;
        this.timers = timers;
        this.clock = clock;
    }

    public BreakGlassView breakGlass(UUID candidateId, BreakGlasses.Request request, Caller caller) {
        Candidate candidate = candidates.lock(candidateId);
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        Optional<UUID> task = approvals.openTaskOf(candidate.id);
        boolean held = holds.waiting(candidate.id).isPresent();
        if (candidate.stage != Stage.AWAITING_APPROVAL || (task.isEmpty() && !held)) {
            throw new ProblemException(ProblemType.WRONG_STAGE, "Break-glass is for a candidate that waits for its "
                    + "approval or for a freeze to end; this one is " + candidate.stage, List.of(),
                    Map.of("stage", candidate.stage.name()));
        }
        List<String> bypassed = new ArrayList<>();
        if (task.isPresent()) {
            bypassed.add("QUORUM");
        }
        if (held || freezes.decide(candidate.kind, candidate.name, candidate.pipeline, clock.instant()).held()) {
            bypassed.add("FREEZE");
        }
        BreakGlass used = breakGlasses.record(candidate, policy, request, bypassed, caller);
        transitions.record(candidate, new PromotionEvent.BreakGlassUsed(used.id.toString(), caller.name(), bypassed,
                used.reviewDueAt.toString()), caller.name(), "Break-glass: " + used.reason);
        timers.scheduleAt(candidate.id, ScheduledTimer.Purpose.BREAK_GLASS_REVIEW, used.id, used.reviewDueAt);
        if (task.isPresent()) {
            ApprovalTasks.Expired closed = approvals.approveByBreakGlass(candidate.id).orElseThrow();
            timers.cancel(candidate.id, Timers.APPROVAL);
            process.completeApproval(closed.processInstanceId() != null ? closed.processInstanceId()
                    : candidate.processInstanceId, "APPROVED", caller.name(), closed.groups());
        } else {
            process.signal(candidate.processInstanceId, PromotionProcess.PRODUCTION_RELEASED);
        }
        return BreakGlassView.of(used);
    }

    public BreakGlassView review(UUID id, BreakGlasses.Review request, Caller caller) {
        BreakGlass found = breakGlasses.byId(id).orElseThrow(() -> ProblemException.notFound("Break-glass " + id));
        Candidate candidate = candidates.lock(found.candidateId);
        BreakGlass reviewed = breakGlasses.review(id, candidate, request, caller);
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.BREAK_GLASS_REVIEW));
        transitions.record(candidate, new PromotionEvent.BreakGlassReviewed(id.toString(), caller.name(),
                reviewed.reviewOutcome.name(), reviewed.reviewComment), caller.name(),
                "Break-glass reviewed (" + reviewed.reviewOutcome + "): " + reviewed.reviewComment);
        return BreakGlassView.of(reviewed);
    }

    /** The review deadline passed: escalated, unless reviewed meanwhile. */
    @Transactional(Transactional.TxType.MANDATORY)
    void reviewOverdue(Candidate candidate, UUID breakGlassId) {
        if (!breakGlasses.escalate(breakGlassId)) {
            return;
        }
        BreakGlass used = breakGlasses.byId(breakGlassId).orElseThrow();
        List<String> reviewers = Optional.ofNullable(policies.pinned(candidate.policyDigest).breakGlass())
                .map(PipelinePolicy.BreakGlass::roles).orElse(List.of());
        transitions.record(candidate, new PromotionEvent.BreakGlassEscalated(breakGlassId.toString(),
                used.reviewDueAt.toString(), reviewers), Transitions.SYSTEM,
                "Break-glass by " + used.actor + " not reviewed by " + used.reviewDueAt + ": escalated");
    }
}
