package dev.tollgate.web;

import dev.tollgate.approval.ApprovalInbox;
import dev.tollgate.security.Caller;
import dev.tollgate.workflow.CandidateView;

/**
 * The banner of a page about a version whose re-evaluation is under way: {@code subject} names the version in the
 * page's words; {@code canDecide} offers the link to the decision task only to someone whose vote would count.
 */
public record ReevaluationBanner(String subject, CandidateView.Reevaluation reevaluation, boolean canDecide) {

    /** The banner for the candidate's re-evaluation under way, or null when none is. */
    static ReevaluationBanner of(String subject, CandidateView candidate, ApprovalInbox approvals, Caller caller) {
        if (candidate == null || candidate.watch() == null || candidate.watch().reevaluation() == null) {
            return null;
        }
        CandidateView.Reevaluation running = candidate.watch().reevaluation();
        // The domain's rule, not a copy: the same check the vote makes.
        boolean canDecide = running.taskId() != null && approvals.refusal(running.taskId(), caller).isEmpty();
        return new ReevaluationBanner(subject, running, canDecide);
    }

    /** Waiting for people rather than for suites. */
    public boolean awaitsDecision() {
        return "AWAITING_DECISION".equals(reevaluation.status());
    }
}
