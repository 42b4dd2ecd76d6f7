package dev.tollgate.candidate;

import dev.tollgate.events.PromotionEvent;
import dev.tollgate.security.Caller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.shared.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The candidate's own steps: registering a submission (once per Idempotency-Key and per version),
 * cancelling, reading. The workflow composes them with the engine inside its transaction.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class CandidateService {

    private final CandidateRepository candidates;
    private final Transitions transitions;
    private final EntityManager em;
    private final Clock clock;

    CandidateService(CandidateRepository candidates, Transitions transitions, EntityManager em, Clock clock) {
        this.candidates = candidates;
        this.transitions = transitions;
        this.em = em;
        this.clock = clock;
    }

    /**
     * Takes the submission's locks and returns the candidate an identical earlier request (same
     * Idempotency-Key and body) created, if any. Refuses a key reused for another body, and a version
     * submitted before without this key.
     */
    public Optional<Candidate> earlier(CandidateValidator.NewCandidate request, Caller caller) {
        CandidateValidator.Valid valid = request.valid();
        // Retries of one submission arrive together (a CI job that timed out): they take their turn here, so
        // the later ones find what the first committed instead of racing it into a unique-key violation.
        candidates.lockSubmission(caller.name(), request.idempotencyKey(), valid.kind(), valid.name(), valid.version());
        if (request.idempotencyKey() != null) {
            IdempotencyRecord seen = em.find(IdempotencyRecord.class,
                    new IdempotencyRecord.Key(caller.name(), request.idempotencyKey()));
            if (seen != null) {
                if (!seen.requestHash.equals(request.requestHash())) {
                    throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was used for a different request body",
                            List.of(), Map.of("candidateId", seen.candidateId.toString()));
                }
                return Optional.of(candidates.findById(seen.candidateId));
            }
        }
        Optional<Candidate> existing = candidates.findByIdentity(valid.kind(), valid.name(), valid.version());
        if (existing.isPresent()) {
            Candidate candidate = existing.get();
            if (!candidate.digest.equals(valid.digest())) {
                throw new ProblemException(ProblemType.DIGEST_CONFLICT,
                        valid.kind() + " " + valid.name() + " " + valid.version()
                                + " was already submitted with digest " + candidate.digest,
                        List.of(), Map.of("candidateId", candidate.id.toString()));
            }
            // Only a repeat of the request that created it (same Idempotency-Key) gets the candidate back as a success.
            throw new ProblemException(ProblemType.ALREADY_SUBMITTED,
                    valid.kind() + " " + valid.name() + " " + valid.version() + " was already submitted as candidate "
                            + candidate.id + "; to retry a submission safely, send the same Idempotency-Key",
                    List.of(), Map.of("candidateId", candidate.id.toString()));
        }
        return Optional.empty();
    }

    /** Stores the new candidate in SUBMITTED under the pipeline policy pinned for it. */
    public Candidate register(CandidateValidator.NewCandidate request, String pipeline, String policyDigest,
                              Caller caller) {
        CandidateValidator.Valid valid = request.valid();
        Instant now = clock.instant();
        Candidate candidate = new Candidate();
        candidate.id = UUID.randomUUID();
        candidate.kind = valid.kind();
        candidate.name = valid.name();
        candidate.version = valid.version();
        candidate.digest = valid.digest();
        candidate.artifactUri = valid.artifactUri();
        candidate.prompt = valid.prompt() == null ? null : JsonBodies.toMap(valid.prompt());
        candidate.pipeline = pipeline;
        candidate.policyDigest = policyDigest;
        candidate.submittedBy = caller.name();
        candidate.submittedAt = now;
        candidate.metrics = valid.metrics();
        candidate.labels = valid.labels();
        candidate.description = valid.description();
        candidate.updatedAt = now;
        transitions.submitted(candidate, caller.name(), valid.description() == null ? "Submitted" : valid.description());
        em.flush();
        return candidate;
    }

    /** Remembers the Idempotency-Key of the request that created the candidate (none: nothing to remember). */
    public void remember(CandidateValidator.NewCandidate request, Caller caller, Candidate candidate) {
        if (request.idempotencyKey() == null) {
            return;
        }
        IdempotencyRecord record = new IdempotencyRecord();
        record.principal = caller.name();
        record.idemKey = request.idempotencyKey();
        record.requestHash = request.requestHash();
        record.candidateId = candidate.id;
        record.createdAt = clock.instant();
        em.persist(record);
        em.flush();
    }

    /**
     * Locks the candidate for a cancel, refusing it unless the caller submitted it or is an admin and the
     * promotion can still be stopped.
     */
    public Candidate lockForCancel(UUID id, String reason, Caller caller) {
        if (reason != null && reason.length() > 4000) {
            throw ProblemException.validation(List.of(new FieldError("reason", "must be at most 4000 characters")));
        }
        StoredText.require("reason", reason);
        Candidate candidate = candidates.lock(id);
        if (!caller.is(candidate.submittedBy) && !caller.hasRole(Roles.ADMIN)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the candidate's submitter or an admin may cancel it");
        }
        if (candidate.stage == Stage.DEPLOYING_PRODUCTION) {
            // The deployers may already be rolling it out: cancelling now would leave the record saying otherwise.
            throw new ProblemException(ProblemType.WRONG_STAGE, "The production deployment of this candidate was already "
                    + "requested, so it can no longer be cancelled; wait for the deployer's result, then roll back with "
                    + "POST /api/v1/releases/" + candidate.kind + "/" + candidate.name + "/rollback if needed",
                    List.of(), Map.of("stage", candidate.stage.name()));
        }
        if (candidate.stage.isTerminal() || candidate.stage == Stage.IN_PRODUCTION || candidate.rollbackInstanceId != null) {
            throw new ProblemException(ProblemType.WRONG_STAGE, "A candidate that is " + candidate.stage
                    + (candidate.rollbackInstanceId != null ? " (being rolled back to)" : "")
                    + " cannot be cancelled" + (candidate.stage == Stage.IN_PRODUCTION ? "; roll it back instead" : ""),
                    List.of(), Map.of("stage", candidate.stage.name()));
        }
        return candidate;
    }

    /** Ends the locked candidate CANCELLED. */
    public void cancelled(Candidate candidate, String reason, Caller caller) {
        transitions.move(candidate, Stage.CANCELLED, new PromotionEvent.Cancelled(), caller.name(),
                reason == null || reason.isBlank() ? "Cancelled" : reason.strip());
        em.flush();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Candidate> find(UUID id) {
        return candidates.findByIdOptional(id);
    }

    /** A page of candidates, newest first, and the cursor of the next page. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Candidate> list(CandidateRepository.CandidateFilter filter, Cursor after, int limit) {
        List<Candidate> rows = candidates.page(filter, after == null ? null : after.at(),
                after == null ? null : after.id(), limit + 1);
        List<Candidate> items = rows.subList(0, Math.min(limit, rows.size()));
        String next = null;
        if (rows.size() > limit) {
            Candidate last = items.get(items.size() - 1);
            next = new Cursor(last.submittedAt, last.id).encode();
        }
        return new Page<>(items, next);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HistoryEntry> history(UUID id) {
        return candidates.history(id);
    }
}
