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
 * again when the window that holds them ends (a timer) and when the line restarts or a window is created or deleted.
 * The newest held version of a name goes first; the older ones are superseded, and cancelled.
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
     * which goes first. The newest one, once free, supersedes the older held versions: their promotions are
     * cancelled.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean mustWait(Candidate candidate) {
        // One name's checks one at a time (the release lock, after the candidate's), and none while the line is
        // being stopped or restarted: what one check records, the next one, or the restart, sees.
        candidates.lockRelease(candidate.kind, candidate.name);
        freezes.shareLine();
        Instant now = clock.instant();
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.PRODUCTION_HOLD));
        if (breakGlasses.find(candidate.id).isPresent()) {
            // Someone the pipeline names broke the glass: no window, stop or newer version holds it.
            holds.end(candidate.id, ProductionHold.Outcome.RELEASED, now);
            wakeTheOthers(candidate);
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
        // The older held versions look again at once, and find that this newer one went: they are superseded.
        wakeTheOthers(candidate);
        return false;
    }

    /**
     * The candidate's hold ended without it going first through {@link #mustWait} (a break-glass, a cancel, an
     * approval that ran out): the other held versions of its name look again at once, since some may have waited
     * behind it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void wakeTheOthers(Candidate candidate) {
        Instant now = clock.instant();
        for (UUID other : holds.waitingOf(candidate.kind, candidate.name)) {
            if (!other.equals(candidate.id)) {
                lookAgainAt(other, now);
            }
        }
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
        Optional<Candidate> newer = candidates.newerOnItsWay(candidate);
        if (newer.isPresent()) {
            // An older version deployed after a newer one would be a downgrade: this one is superseded.
            process.abort(candidate.processInstanceId);
            approvals.cancelOpen(candidate.id);
            timers.cancel(candidate.id, List.of());
            holds.end(candidate.id, ProductionHold.Outcome.SUPERSEDED, now);
            candidateService.cancelled(candidate, "Superseded by version " + newer.get().version
                    + ", held for production too: the newest goes first", TOLLGATE);
            return;
        }
        Optional<Instant> expiry = approvalExpiry(candidate);
        if (expiry.isPresent() && !now.isBefore(expiry.get()) && breakGlasses.find(candidate.id).isEmpty()) {
            process.abort(candidate.processInstanceId);
            timers.cancel(candidate.id, List.of());
            holds.end(candidate.id, ProductionHold.Outcome.CANCELLED, now);
            transitions.move(candidate, Stage.REJECTED, new PromotionEvent.Rejected(Transitions.SYSTEM, true),
                    Transitions.SYSTEM, "timeout: the approval given at " + hold.get().heldAt + " ran out ("
                            + policies.pinned(candidate.policyDigest).timeouts().approvalValidity()
                            + ") before production could be requested; submit it again");
            wakeTheOthers(candidate);
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

    /** Creates a window, and looks again at every held deployment at once: an allow window may let some go. */
    public FreezeViews.Window createWindow(FreezeRequests.Window request, Caller caller) {
        FreezeViews.Window window = freezes.create(request, caller);
        lookAgainAtEveryHold();
        return window;
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
            lookAgainAt(hold.candidateId, now);
        }
    }

    /** Moves the held candidate's next look to {@code at}: its timer fires then, whatever it was due at before. */
    private void lookAgainAt(UUID candidateId, Instant at) {
        timers.cancel(candidateId, List.of(ScheduledTimer.Purpose.PRODUCTION_HOLD));
        timers.scheduleAt(candidateId, ScheduledTimer.Purpose.PRODUCTION_HOLD, null, at);
    }
}
