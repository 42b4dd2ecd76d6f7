package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTasks;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Stage;
import dev.tollgate.approval.ApprovalTask;
import dev.tollgate.candidate.Transitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * What each timer does when it fires. A timer whose stage has already ended does nothing: the
 * stage change that ended it raced the timer and won.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class TimerHandlers {

    private static final Logger LOG = Logger.getLogger(TimerHandlers.class);

    private final CandidateRepository candidates;
    private final PromotionProcess process;
    private final ApprovalTasks approvals;
    private final Transitions transitions;
    private final Timers timers;
    private final Watching watching;
    private final HeldDeployments held;
    private final EmergencyPromotions emergencies;

    TimerHandlers(CandidateRepository candidates, PromotionProcess process, ApprovalTasks approvals,
                  Transitions transitions, Timers timers, Watching watching, HeldDeployments held,
                  EmergencyPromotions emergencies) {
        this.emergencies = emergencies;
        this.held = held;
        this.candidates = candidates;
        this.process = process;
        this.approvals = approvals;
        this.transitions = transitions;
        this.timers = timers;
        this.watching = watching;
    }

    void fire(ScheduledTimer timer) {
        Candidate candidate = candidates.lock(timer.candidateId);
        switch (timer.purpose) {
            case EVALUATION_TIMEOUT -> signalIf(candidate, Stage.EVALUATING, PromotionProcess.EVALUATION_DONE, timer);
            case STAGING_TIMEOUT -> signalIf(candidate, Environment.STAGING.deploying, Environment.STAGING.signal, timer);
            case PRODUCTION_TIMEOUT -> signalIf(candidate, Environment.PRODUCTION.deploying, Environment.PRODUCTION.signal,
                    timer);
            case APPROVAL_REMINDER -> approvals.remind(timer.subjectId).ifPresent(reminder ->
                    transitions.record(candidate, reminder.event(), Transitions.SYSTEM, reminder.reason()));
            case APPROVAL_TIMEOUT -> approvals.expire(timer.subjectId).ifPresent(expired -> {
                timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.APPROVAL_REMINDER));
                process.completeApproval(expired.processInstanceId() != null ? expired.processInstanceId()
                        : candidate.processInstanceId, ApprovalTask.Status.EXPIRED.name(), Transitions.SYSTEM,
                        expired.groups());
            });
            case REEVALUATION_TIMEOUT -> watching.suitesOverdue(candidate, timer.subjectId);
            case REEVALUATION_SCHEDULE -> watching.scheduled(candidate);
            case VERIFICATION_END -> watching.verificationWindowEnded(candidate);
            case PRODUCTION_HOLD -> held.lookAgain(candidate);
            case SOAK_END -> signalIf(candidate, Stage.DEPLOYING_STAGING, PromotionProcess.SOAK_DONE, timer);
            case BREAK_GLASS_REVIEW -> emergencies.reviewOverdue(candidate, timer.subjectId);
        }
    }

    private void signalIf(Candidate candidate, Stage stage, String signal, ScheduledTimer timer) {
        if (candidate.stage != stage) {
            LOG.debugf("Timer %s for %s is stale: candidate is %s", timer.purpose, candidate.id, candidate.stage);
            return;
        }
        process.signal(candidate.activeProcessInstanceId(), signal);
    }
}
