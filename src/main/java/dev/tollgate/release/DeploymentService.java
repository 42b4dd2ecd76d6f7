package dev.tollgate.release;

import dev.tollgate.audit.AuditLog;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Stage;
import dev.tollgate.pipeline.PromotionProcess;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Deployment results from deployers. A result that answers the deployment the candidate waits for
 * is accepted and resumes the workflow in the same transaction; any other (wrong stage, already
 * answered, ended candidate) is kept for the record and changes nothing.
 */
@ApplicationScoped
@Transactional
public class DeploymentService {

    /** What happened to a result. */
    public record Outcome(boolean accepted, String reason, UUID candidateId, String stage) {
    }

    private final EntityManager em;
    private final CandidateRepository candidates;
    private final PromotionProcess process;
    private final AuditLog audit;
    private final Clock clock;

    DeploymentService(EntityManager em, CandidateRepository candidates, PromotionProcess process, AuditLog audit,
                      Clock clock) {
        this.em = em;
        this.candidates = candidates;
        this.process = process;
        this.audit = audit;
        this.clock = clock;
    }

    public Outcome report(UUID candidateId, DeploymentRequest request, String reporter) {
        validate(request);
        Candidate candidate = candidates.lock(candidateId);
        // A result can change what serves (staging, production, a rollback): the release lock comes right after
        // the candidate's, before anything is written (docs/operations.md, "Locks").
        candidates.lockRelease(candidate.kind, candidate.name);
        Stage waiting = Releases.STAGING.equals(request.stage()) ? Stage.DEPLOYING_STAGING : Stage.DEPLOYING_PRODUCTION;
        DeploymentResult result = new DeploymentResult();
        result.candidateId = candidate.id;
        result.stage = request.stage();
        result.outcome = request.outcome();
        result.environment = request.environment();
        result.detail = request.detail();
        result.reportedBy = reporter;
        result.receivedAt = clock.instant();
        result.accepted = candidate.stage == waiting;
        em.persist(result);
        if (!result.accepted) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("stage", request.stage());
            data.put("outcome", request.outcome());
            data.put("environment", request.environment());
            data.put("detail", request.detail());
            data.put("candidateStage", candidate.stage.name());
            audit.append(reporter, "deployment.ignored", new AuditLog.Subject(candidate.id.toString(),
                    candidate.kind.name(), candidate.name, candidate.version), data);
            return new Outcome(false, "The candidate is " + candidate.stage + ", not waiting for a " + request.stage()
                    + " deployment result; the result was recorded and ignored", candidate.id, candidate.stage.name());
        }
        em.flush();
        process.signal(candidate.activeProcessInstanceId(),
                waiting == Stage.DEPLOYING_STAGING ? PromotionProcess.STAGING_DONE : PromotionProcess.PRODUCTION_DONE);
        return new Outcome(true, null, candidate.id, candidate.stage.name());
    }

    /** The accepted result for {@code stage} received since {@code since}, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<DeploymentResult> accepted(UUID candidateId, String stage, Instant since) {
        return em.createQuery("""
                        from DeploymentResult where candidateId = :id and stage = :stage and accepted = true
                          and receivedAt >= :since
                        order by id""", DeploymentResult.class)
                .setParameter("id", candidateId).setParameter("stage", stage).setParameter("since", since)
                .setMaxResults(1)
                .getResultStream().findFirst();
    }

    /** Refuses (400 naming each field) a result that no candidate could accept; the Kafka consumer uses it too. */
    static void validate(DeploymentRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (!Releases.STAGING.equals(request.stage()) && !Releases.PRODUCTION.equals(request.stage())) {
            errors.add(new FieldError("stage", "must be staging or production"));
        }
        if (!"SUCCEEDED".equals(request.outcome()) && !"FAILED".equals(request.outcome())) {
            errors.add(new FieldError("outcome", "must be SUCCEEDED or FAILED"));
        }
        if (request.environment() != null && request.environment().length() > 255) {
            errors.add(new FieldError("environment", "must be at most 255 characters"));
        }
        if (request.detail() != null && request.detail().length() > 4000) {
            errors.add(new FieldError("detail", "must be at most 4000 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }
}
