package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTasks;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.pipeline.EvaluationReport;
import dev.tollgate.pipeline.EvaluationRequest;
import dev.tollgate.pipeline.EvaluationService;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.release.DeploymentRequest;
import dev.tollgate.release.DeploymentService;
import dev.tollgate.security.Caller;
import dev.tollgate.watch.Reevaluation;
import dev.tollgate.watch.Reevaluations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;

/**
 * What evaluators and deployers report. A report the waiting promotion needs resumes it in the same
 * transaction: the last required evaluation suite runs the gates, an accepted deployment result reads
 * the result and moves on.
 */
@ApplicationScoped
@Transactional
public class Reports {

    private final CandidateRepository candidates;
    private final EvaluationService evaluations;
    private final DeploymentService deployments;
    private final PromotionProcess process;
    private final Reevaluations reevaluations;
    private final ApprovalTasks approvals;
    private final Timers timers;
    private final Transitions transitions;
    private final PipelinePolicies policies;

    Reports(CandidateRepository candidates, EvaluationService evaluations, DeploymentService deployments,
            PromotionProcess process, Reevaluations reevaluations, ApprovalTasks approvals, Timers timers,
            Transitions transitions, PipelinePolicies policies) {
        this.policies = policies;
        this.approvals = approvals;
        this.timers = timers;
        this.transitions = transitions;
        this.candidates = candidates;
        this.evaluations = evaluations;
        this.deployments = deployments;
        this.process = process;
        this.reevaluations = reevaluations;
    }

    /**
     * A suite's report: on a candidate being evaluated, or on a version in production whose re-evaluation waits for
     * its suites (docs/drift.md); the last suite it waits for moves the promotion or the re-evaluation on.
     */
    public EvaluationReport evaluation(UUID candidateId, EvaluationRequest request, Caller caller) {
        EvaluationService.ValidReport valid = EvaluationService.validate(request);
        Candidate candidate = candidates.lock(candidateId);
        Optional<Reevaluation> waiting = candidate.stage == Stage.IN_PRODUCTION
                ? reevaluations.underWay(candidate.id).filter(Reevaluations::waitsForSuites) : Optional.empty();
        if (waiting.isPresent()) {
            Reevaluation reevaluation = reevaluations.lock(waiting.get().id);
            EvaluationService.Recorded recorded = evaluations.recordForReevaluation(candidate, valid, caller,
                    reevaluation.id, reevaluation.suiteList());
            if (recorded.complete()) {
                process.signal(reevaluation.processInstanceId, PromotionProcess.REEVALUATION_DONE);
            }
            return recorded.report();
        }
        if (candidate.stage == Stage.AWAITING_APPROVAL && approvals.openTaskOf(candidate.id).isPresent()) {
            return lateEvaluation(candidate, valid, caller);
        }
        EvaluationService.Recorded recorded = evaluations.record(candidate, valid, caller);
        if (recorded.complete()) {
            process.signal(candidate.processInstanceId, PromotionProcess.EVALUATION_DONE);
        }
        return recorded.report();
    }

    /**
     * A report after evaluation ended, while approvers are asked: it is stored with the others, and votes already
     * cast are set aside, since they were cast without it (docs/governance.md, "Approvals that stay valid").
     */
    private EvaluationReport lateEvaluation(Candidate candidate, EvaluationService.ValidReport valid, Caller caller) {
        EvaluationReport report = evaluations.recordLate(candidate, valid, caller);
        approvals.resetVotes(candidate.id).ifPresent(reset -> {
            timers.cancel(candidate.id, Timers.APPROVAL);
            timers.scheduleAt(candidate.id, ScheduledTimer.Purpose.APPROVAL_TIMEOUT, reset.taskId(), reset.dueAt());
            java.time.Duration reminder = policies.pinned(candidate.policyDigest).timeouts().approvalReminder();
            if (reminder != null && reset.openedAt().plus(reminder).isAfter(report.reportedAt)) {
                timers.scheduleAt(candidate.id, ScheduledTimer.Purpose.APPROVAL_REMINDER, reset.taskId(),
                        reset.openedAt().plus(reminder));
            }
            transitions.record(candidate, new PromotionEvent.ApprovalReset(reset.taskId().toString(),
                    reset.previousTaskId().toString(), reset.voters(), report.suite, reset.dueAt().toString()),
                    Transitions.SYSTEM, "Votes of " + String.join(", ", reset.voters()) + " set aside: suite "
                            + report.suite + " reported after they were cast; approvers are asked again");
        });
        return report;
    }

    /** A deployer's result, from the REST API or from {@code tollgate.deployments}. */
    public DeploymentService.Outcome deployment(UUID candidateId, DeploymentRequest request, String reporter) {
        request.validate();
        Candidate candidate = candidates.lock(candidateId);
        // A result can change what serves (staging, production, a rollback): the release lock comes right after
        // the candidate's, before anything is written (docs/operations.md, "Locks").
        candidates.lockRelease(candidate.kind, candidate.name);
        DeploymentService.Outcome outcome = deployments.record(candidate, request, reporter);
        if (outcome.accepted()) {
            process.signal(candidate.activeProcessInstanceId(), Environment.waitingIn(outcome.waiting()).signal);
        }
        return outcome;
    }
}
