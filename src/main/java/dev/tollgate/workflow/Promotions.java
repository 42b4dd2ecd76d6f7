package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTasks;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateService;
import dev.tollgate.candidate.CandidateValidator;
import dev.tollgate.freeze.ProductionHold;
import dev.tollgate.freeze.ProductionHolds;
import dev.tollgate.inventory.Inventory;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starting and stopping promotions. A submission is one transaction: the candidate, its pinned policy,
 * the promotion's first steps (up to the wait for evaluation suites, or a failed gate) and their events
 * all commit together, or nothing does.
 */
@ApplicationScoped
@Transactional
public class Promotions {

    /** What a submission did: created a candidate, or found the one an earlier identical request created. */
    public record Submission(CandidateView candidate, boolean created) {
    }

    private final CandidateService candidates;
    private final PipelinePolicies policies;
    private final ApprovalTasks approvals;
    private final PromotionProcess process;
    private final Timers timers;
    private final CandidateViews views;
    private final Inventory inventory;
    private final ProductionHolds holds;
    private final Clock clock;
    private final HeldDeployments held;

    Promotions(CandidateService candidates, PipelinePolicies policies, ApprovalTasks approvals,
               PromotionProcess process, Timers timers, CandidateViews views, Inventory inventory,
               ProductionHolds holds, Clock clock, HeldDeployments held) {
        this.held = held;
        this.holds = holds;
        this.clock = clock;
        this.inventory = inventory;
        this.candidates = candidates;
        this.policies = policies;
        this.approvals = approvals;
        this.process = process;
        this.timers = timers;
        this.views = views;
    }

    public Submission submit(CandidateValidator.NewCandidate request, Caller caller) {
        Optional<Candidate> earlier = candidates.earlier(request, caller);
        if (earlier.isPresent()) {
            return new Submission(views.of(earlier.get()), false);
        }
        var valid = request.valid();
        String promptModel = valid.prompt() == null ? null : valid.prompt().path("model").asText(null);
        PipelinePolicies.Loaded policy = policies.pinFor(valid.pipeline(), valid.kind(), promptModel);
        inventory.admitSubmission(valid.kind(), valid.name(),
                policy.policy().risk().unregistered() == PipelinePolicy.Unregistered.REFUSE, policy.policy().name(), caller);
        Candidate candidate = candidates.register(request, policy.policy().name(), policy.digest(), caller);
        candidate.processInstanceId = process.start(candidate.id.toString());
        candidates.remember(request, caller, candidate);
        return new Submission(views.of(candidate), true);
    }

    /**
     * Stops a running promotion: its workflow instance is aborted, its open approval task and its
     * timers are closed, and the candidate ends CANCELLED. Only its submitter or an admin may.
     */
    public CandidateView cancel(UUID id, String reason, Caller caller) {
        Candidate candidate = candidates.lockForCancel(id, reason, caller);
        process.abort(candidate.processInstanceId);
        approvals.cancelOpen(candidate.id);
        timers.cancel(candidate.id, List.of());
        holds.end(candidate.id, ProductionHold.Outcome.CANCELLED, clock.instant());
        held.wakeTheOthers(candidate);
        candidates.cancelled(candidate, reason, caller);
        return views.of(candidate);
    }
}
