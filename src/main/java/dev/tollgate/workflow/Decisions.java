package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTask;
import dev.tollgate.approval.ApprovalViews;
import dev.tollgate.approval.ApprovalVotes;
import dev.tollgate.approval.DecisionRequest;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * A vote on an approval task, from the API or the UI: recorded and announced; once the task closes
 * (quorum met, or a rejection), its timers end and the BPMN user task is completed, in one transaction.
 */
@ApplicationScoped
@Transactional
public class Decisions {

    private final ApprovalVotes votes;
    private final CandidateRepository candidates;
    private final Transitions transitions;
    private final Timers timers;
    private final PromotionProcess process;

    Decisions(ApprovalVotes votes, CandidateRepository candidates, Transitions transitions, Timers timers,
              PromotionProcess process) {
        this.votes = votes;
        this.candidates = candidates;
        this.transitions = transitions;
        this.timers = timers;
        this.process = process;
    }

    public ApprovalViews.DecisionResult decide(UUID taskId, DecisionRequest request, Caller caller) {
        ApprovalVotes.Ballot ballot = ApprovalVotes.validate(request);
        // Lock order everywhere: candidate, then task.
        Candidate candidate = candidates.lock(votes.candidateOf(taskId));
        ApprovalVotes.Cast cast = votes.cast(candidate, taskId, ballot, caller);
        cast.announcements().forEach(a -> transitions.record(candidate, a.event(), a.actor(), a.reason()));
        ApprovalTask.Status closed = cast.closedWith();
        if (closed != null) {
            timers.cancel(candidate.id, Timers.APPROVAL);
            String instance = cast.processInstanceId() != null ? cast.processInstanceId() : candidate.processInstanceId;
            process.completeApproval(instance, closed.name(), caller.name(), caller.roles());
        }
        return votes.result(taskId);
    }
}
