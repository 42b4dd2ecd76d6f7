package dev.tollgate.workflow;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Kind;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.release.Releases;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.shared.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Puts an earlier version back in production: the named one, or the one that served most recently
 * before the current version. The deployers get a {@code deploying} event for it; their result completes
 * the rollback (rollback.bpmn, {@link PipelineTasks#finishRollback}).
 */
@ApplicationScoped
@Transactional
public class Rollbacks {

    /** The body of {@code POST /releases/{kind}/{name}/rollback}. */
    public record RollbackRequest(String toVersion, @Schema(required = true, maxLength = 4000) String reason) {
    }

    private final CandidateRepository candidates;
    private final Releases releases;
    private final Transitions transitions;
    private final PromotionProcess process;
    private final PipelinePolicies policies;
    private final Timers timers;

    Rollbacks(CandidateRepository candidates, Releases releases, Transitions transitions, PromotionProcess process,
              PipelinePolicies policies, Timers timers) {
        this.candidates = candidates;
        this.releases = releases;
        this.transitions = transitions;
        this.process = process;
        this.policies = policies;
        this.timers = timers;
    }

    public Candidate rollback(Kind kind, String name, RollbackRequest request, Caller caller) {
        if (request.reason() == null || request.reason().isBlank() || request.reason().length() > 4000) {
            throw ProblemException.validation(List.of(new FieldError("reason", "is required (at most 4000 characters)")));
        }
        StoredText.require("reason", request.reason());
        StoredText.require("toVersion", request.toVersion());
        return requestRollback(kind, name, request.toVersion(), request.reason().strip(), caller.name());
    }

    /**
     * Rolls the version in production back to the one that served before it, as a re-evaluation's reaction: the
     * same deployment handshake as a rollback people ask for. The caller holds the current version's lock.
     */
    public Candidate rollbackFrom(Candidate current, String reason, String actor) {
        return requestRollback(current.kind, current.name, null, reason, actor);
    }

    /** The version a rollback from {@code current} would put back, if there is one. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Candidate> previous(Candidate current) {
        return previousOf(current.kind, current.name, current);
    }

    private Candidate requestRollback(Kind kind, String name, String toVersion, String reason, String actor) {
        // Lock order: the candidate first, then the release (docs/operations.md, "Locks"). The target is chosen
        // without locks, locked, and everything is checked again under both locks.
        Candidate target = candidates.lock(target(kind, name, toVersion, inProduction(kind, name)).id);
        candidates.getEntityManager().refresh(target);
        candidates.lockRelease(kind, name);
        Candidate current = inProduction(kind, name);
        if (candidates.rollbackUnderWay(kind, name)) {
            throw new ProblemException(ProblemType.WRONG_STAGE, "A rollback of " + kind + " " + name + " is already running");
        }
        if (!target.id.equals(target(kind, name, toVersion, current).id)) {
            throw new ProblemException(ProblemType.CONCURRENT_UPDATE,
                    "What serves " + kind + " " + name + " changed while the rollback was prepared; retry");
        }
        transitions.move(target, Stage.DEPLOYING_PRODUCTION,
                PromotionEvent.Deploying.rollback(Releases.PRODUCTION, current.version), actor,
                "Rollback from " + current.version + ": " + reason);
        timers.schedule(target.id, ScheduledTimer.Purpose.PRODUCTION_TIMEOUT, null,
                policies.pinned(target.policyDigest).timeouts().production());
        target.rollbackInstanceId = process.startRollback(target.id.toString());
        return target;
    }

    private Candidate inProduction(Kind kind, String name) {
        return candidates.inProduction(kind, name).orElseThrow(() -> new ProblemException(
                ProblemType.WRONG_STAGE, "Nothing of " + kind + " " + name + " is in production"));
    }

    private Candidate target(Kind kind, String name, String toVersion, Candidate current) {
        if (toVersion != null) {
            Candidate named = candidates.findByIdentity(kind, name, toVersion).orElseThrow(() -> ProblemException
                    .validation(List.of(new FieldError("toVersion", "no version " + toVersion + " of " + name))));
            if (named.stage != Stage.RETIRED) {
                throw new ProblemException(ProblemType.WRONG_STAGE, "Version " + toVersion + " is " + named.stage
                        + "; only a version that served in production before (RETIRED) can be rolled back to");
            }
            return named;
        }
        return previousOf(kind, name, current).orElseThrow(() -> new ProblemException(ProblemType.WRONG_STAGE,
                "No earlier version of " + kind + " " + name + " to roll back to"));
    }

    private Optional<Candidate> previousOf(Kind kind, String name, Candidate current) {
        return releases.history(kind.name(), name, Releases.PRODUCTION, 50).stream()
                .filter(p -> !p.candidateId.equals(current.id))
                .map(p -> candidates.findById(p.candidateId))
                .filter(c -> c.stage == Stage.RETIRED)
                .findFirst();
    }
}
