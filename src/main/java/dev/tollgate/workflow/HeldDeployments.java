package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalTasks;
import dev.tollgate.breakglass.BreakGlasses;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.CandidateService;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.freeze.FreezeRequests;
import dev.tollgate.freeze.FreezeViews;
import dev.tollgate.freeze.Freezes;
import dev.tollgate.freeze.ProductionHold;
import dev.tollgate.freeze.ProductionHolds;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.security.Caller;
import dev.tollgate.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Production deployments that freeze windows or the stopped line hold (docs/governance.md): they are looked at
 * again when the window that holds them ends (a timer) and when the line restarts or a window is deleted. The
 * newest held version of a name goes first; an older one is superseded, and cancelled, when its pipeline says so.
 */
@ApplicationScoped
@Transactional
public class HeldDeployments {

    /** Who acts when Tollgate supersedes a held version. */
    private static final Caller TOLLGATE = new Caller(Transitions.SYSTEM, Set.of(Roles.ADMIN));

    private final Freezes freezes;
    private final ProductionHolds holds;
    private final CandidateRepository candidates;
    private final CandidateService candidateService;
    private final PipelinePolicies policies;
    private final PromotionProcess process;
    private final ApprovalTasks approvals;
    private final Timers timers;
    private final Transitions transitions;
    private final BreakGlasses breakGlasses;
    private final Clock clock;

    HeldDeployments(Freezes freezes, ProductionHolds holds, CandidateRepository candidates,
                    CandidateService candidateService, PipelinePolicies policies, PromotionProcess process,
                    ApprovalTasks approvals, Timers timers, Transitions transitions, BreakGlasses breakGlasses,
                    Clock clock) {
        this.breakGlasses = breakGlasses;
        this.transitions = transitions;
        this.freezes = freezes;
        this.holds = holds;
        this.candidates = candidates;
        this.candidateService = candidateService;
        this.policies = policies;
        this.process = process;
        this.approvals = approvals;
        this.timers = timers;
        this.clock = clock;
    }

    /**
     * promotion.bpmn's step before the production deployment request: whether the candidate must wait (true). It
     * waits while the line is stopped or a freeze window holds it, and behind a newer held version of its name,
     * which goes first. The newest one, once free, supersedes the older held versions (their promotions are
     * cancelled) when its pipeline says so ({@code supersedeHeld}), and otherwise lets them go after it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean mustWait(Candidate candidate) {
        Instant now = clock.instant();
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.PRODUCTION_HOLD));
        if (breakGlasses.find(candidate.id).isPresent()) {
            // Someone the pipeline names broke the glass: no window, stop or newer version holds it.
            holds.end(candidate.id, ProductionHold.Outcome.RELEASED, now);
            return false;
        }
        Freezes.Verdict verdict = freezes.decide(candidate.kind, candidate.name, candidate.pipeline, now);
        List<UUID> sameName = holds.waitingOf(candidate.kind, candidate.name);
        Candidate newer = verdict.held() ? null : sameName.stream().filter(id -> !id.equals(candidate.id))
                .map(candidates::findById).filter(c -> c.submittedAt.isAfter(candidate.submittedAt)).findFirst()
                .orElse(null);
        if (newer != null) {
            verdict = new Freezes.Verdict(true, "version " + newer.version + " of " + candidate.name
                    + " is held too and goes first", null);
        }
        if (verdict.held()) {
            if (holds.hold(candidate.id, verdict, now)) {
                transitions.record(candidate, new PromotionEvent.ProductionHeld(verdict.reason(),
                        verdict.until() == null ? null : verdict.until().toString()), Transitions.SYSTEM,
                        "Production deployment held: " + verdict.reason());
            }
            // Looked at again when the window ends, and when the approval runs out, whichever comes first.
            Instant lookAgainAt = verdict.until();
            Optional<Instant> expiry = approvalExpiry(candidate);
            if (expiry.isPresent() && (lookAgainAt == null || expiry.get().isBefore(lookAgainAt))) {
                lookAgainAt = expiry.get();
            }
            if (lookAgainAt != null) {
                timers.scheduleAt(candidate.id, ScheduledTimer.Purpose.PRODUCTION_HOLD, null, lookAgainAt);
            }
            return true;
        }
        holds.end(candidate.id, ProductionHold.Outcome.RELEASED, now);
        boolean supersede = policies.pinned(candidate.policyDigest).supersedeHeld();
        for (UUID olderId : sameName) {
            if (olderId.equals(candidate.id)) {
                continue;
            }
            Candidate older = candidates.lock(olderId);
            if (supersede) {
                process.abort(older.processInstanceId);
                approvals.cancelOpen(older.id);
                timers.cancel(older.id, List.of());
                holds.end(older.id, ProductionHold.Outcome.SUPERSEDED, now);
                candidateService.cancelled(older, "Superseded by version " + candidate.version
                        + ", held for production too: the newest goes first", TOLLGATE);
            } else {
                timers.scheduleAt(older.id, ScheduledTimer.Purpose.PRODUCTION_HOLD, null, now);
            }
        }
        return false;
    }

    /**
     * A held candidate's timer fired (its window ended, the line restarted, a window was deleted, its approval ran
     * out): an approval older than the pipeline's {@code timeouts.approvalValidity} rejects it; otherwise it checks
     * again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void lookAgain(Candidate candidate) {
        Optional<ProductionHold> hold = holds.waiting(candidate.id);
        if (hold.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Optional<Instant> expiry = approvalExpiry(candidate);
        if (expiry.isPresent() && !now.isBefore(expiry.get()) && breakGlasses.find(candidate.id).isEmpty()) {
            process.abort(candidate.processInstanceId);
            timers.cancel(candidate.id, List.of());
            holds.end(candidate.id, ProductionHold.Outcome.CANCELLED, now);
            transitions.move(candidate, Stage.REJECTED, new PromotionEvent.Rejected(Transitions.SYSTEM, true),
                    Transitions.SYSTEM, "timeout: the approval given at " + hold.get().heldAt + " ran out ("
                            + policies.pinned(candidate.policyDigest).timeouts().approvalValidity()
                            + ") before production could be requested; submit it again");
            return;
        }
        process.signal(candidate.processInstanceId, PromotionProcess.PRODUCTION_RELEASED);
    }

    /** When the candidate's approval runs out: its first hold (the moment it was approved) plus the policy's validity. */
    private Optional<Instant> approvalExpiry(Candidate candidate) {
        Duration validity = policies.pinned(candidate.policyDigest).timeouts().approvalValidity();
        return validity == null ? Optional.empty() : holds.waiting(candidate.id).map(h -> h.heldAt.plus(validity));
    }

    /** Restarts the line, and looks again at every held deployment at once. */
    public FreezeViews.Line restartLine(FreezeRequests.Reason request, Caller caller) {
        FreezeViews.Line line = freezes.restart(request, caller);
        lookAgainAtEveryHold();
        return line;
    }

    /** Deletes a window, and looks again at every held deployment at once: the window may have held some. */
    public FreezeViews.Window deleteWindow(UUID id, Caller caller) {
        FreezeViews.Window window = freezes.delete(id, caller);
        lookAgainAtEveryHold();
        return window;
    }

    private void lookAgainAtEveryHold() {
        Instant now = clock.instant();
        for (ProductionHold hold : holds.allWaiting()) {
            timers.cancel(hold.candidateId, List.of(ScheduledTimer.Purpose.PRODUCTION_HOLD));
            timers.scheduleAt(hold.candidateId, ScheduledTimer.Purpose.PRODUCTION_HOLD, null, now);
        }
    }
}
