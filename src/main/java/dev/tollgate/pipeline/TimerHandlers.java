package dev.tollgate.pipeline;

import dev.tollgate.approval.ApprovalService;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Stage;
import jakarta.enterprise.context.ApplicationScoped;
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
    private final ApprovalService approvals;

    TimerHandlers(CandidateRepository candidates, PromotionProcess process, ApprovalService approvals) {
        this.candidates = candidates;
        this.process = process;
        this.approvals = approvals;
    }

    void fire(ScheduledTimer timer) {
        Candidate candidate = candidates.lock(timer.candidateId);
        switch (timer.purpose) {
            case EVALUATION_TIMEOUT -> signalIf(candidate, Stage.EVALUATING, PromotionProcess.EVALUATION_DONE, timer);
            case STAGING_TIMEOUT -> signalIf(candidate, Stage.DEPLOYING_STAGING, PromotionProcess.STAGING_DONE, timer);
            case PRODUCTION_TIMEOUT -> signalIf(candidate, Stage.DEPLOYING_PRODUCTION, PromotionProcess.PRODUCTION_DONE,
                    timer);
            case APPROVAL_REMINDER -> approvals.remind(timer.subjectId);
            case APPROVAL_TIMEOUT -> approvals.expire(timer.subjectId);
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
