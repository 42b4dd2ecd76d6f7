package dev.tollgate.breakglass;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.shared.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Break-glass (docs/governance.md): who may use it, on what, and the review that must follow. The workflow moves
 * the promotion; this records the emergency and its review, each with its reason.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class BreakGlasses {

    static final int MAX_TEXT = 4000;

    /** Why the glass is broken. */
    @Schema(name = "BreakGlassRequest")
    public record Request(@Schema(required = true) String reason) {
    }

    /** The review of a break-glass: ACCEPTED, or CONCERNS with what they are. */
    @Schema(name = "BreakGlassReviewRequest")
    public record Review(@Schema(required = true, enumeration = {"ACCEPTED", "CONCERNS"}) String outcome,
                         @Schema(required = true) String comment) {
    }

    private final EntityManager em;
    private final Clock clock;

    BreakGlasses(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** Records the emergency on the candidate (locked by the caller); refuses it unless the pipeline allows the caller. */
    public BreakGlass record(Candidate candidate, PipelinePolicy policy, Request request, List<String> bypassed,
                             Caller caller) {
        PipelinePolicy.BreakGlass rule = policy.breakGlass();
        if (rule == null) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Pipeline " + candidate.pipeline + " allows no break-glass");
        }
        if (rule.roles().stream().noneMatch(caller::hasRole)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Pipeline " + candidate.pipeline + " lets "
                    + String.join(" or ", rule.roles()) + " break the glass");
        }
        if (caller.is(candidate.submittedBy)) {
            throw new ProblemException(ProblemType.SEPARATION_OF_DUTIES,
                    "You submitted this candidate, so you cannot push it through in an emergency");
        }
        String reason = text("reason", request == null ? null : request.reason());
        if (find(candidate.id).isPresent()) {
            throw new ProblemException(ProblemType.WRONG_STAGE, "The glass was already broken for this candidate");
        }
        BreakGlass used = new BreakGlass();
        used.id = UUID.randomUUID();
        used.candidateId = candidate.id;
        used.actor = caller.name();
        used.reason = reason;
        used.bypassed = List.copyOf(bypassed);
        used.at = clock.instant();
        used.reviewDueAt = used.at.plus(rule.reviewWithin());
        em.persist(used);
        return used;
    }

    /** The review, by someone who neither broke the glass nor submitted the candidate. */
    public BreakGlass review(UUID id, Candidate candidate, Review request, Caller caller) {
        BreakGlass used = Optional.ofNullable(em.find(BreakGlass.class, id, LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> ProblemException.notFound("Break-glass " + id));
        BreakGlass.Outcome outcome;
        try {
            outcome = BreakGlass.Outcome.valueOf(String.valueOf(request.outcome()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError("outcome", "must be ACCEPTED or CONCERNS")));
        }
        String comment = text("comment", request.comment());
        if (caller.is(used.actor) || caller.is(candidate.submittedBy)) {
            throw new ProblemException(ProblemType.SEPARATION_OF_DUTIES,
                    "Someone else than who broke the glass, and than the candidate's submitter, reviews it");
        }
        if (used.reviewed()) {
            throw new ProblemException(ProblemType.TASK_CLOSED, "Reviewed by " + used.reviewedBy + " already");
        }
        used.reviewedBy = caller.name();
        used.reviewedAt = clock.instant();
        used.reviewOutcome = outcome;
        used.reviewComment = comment;
        return used;
    }

    /** Marks an unreviewed break-glass escalated; false when it was reviewed (or escalated) meanwhile. */
    public boolean escalate(UUID id) {
        BreakGlass used = em.find(BreakGlass.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (used == null || used.reviewed() || used.escalatedAt != null) {
            return false;
        }
        used.escalatedAt = clock.instant();
        return true;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<BreakGlass> find(UUID candidateId) {
        return em.createQuery("from BreakGlass where candidateId = :id", BreakGlass.class).setParameter("id", candidateId)
                .getResultStream().findFirst();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<BreakGlass> byId(UUID id) {
        return Optional.ofNullable(em.find(BreakGlass.class, id));
    }

    /** Newest first; {@code open}: only those still waiting for their review. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<BreakGlass> list(boolean open) {
        return em.createQuery("from BreakGlass" + (open ? " where reviewedAt is null" : "") + " order by at desc, id",
                BreakGlass.class).setMaxResults(500).getResultList();
    }

    private static String text(String field, String value) {
        String problem = StoredText.requiredProblem(value, MAX_TEXT);
        if (problem != null) {
            throw ProblemException.validation(List.of(new FieldError(field, problem)));
        }
        return value.strip();
    }
}
