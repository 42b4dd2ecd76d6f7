package dev.tollgate.release;

import dev.tollgate.audit.AuditActions;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Deployment results from deployers. A result that answers the deployment the candidate waits for
 * is accepted (the workflow then resumes in the same transaction); any other (wrong stage, already
 * answered, ended candidate) is kept for the record and changes nothing.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DeploymentService {

    /**
     * What happened to a result: accepted (the candidate waited for it in {@code waiting}), or recorded and
     * ignored for {@code reason}.
     */
    public record Outcome(boolean accepted, String reason, UUID candidateId, String stage, Stage waiting) {
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;

    DeploymentService(EntityManager em, AuditLog audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    /** Records a result for the candidate, which the caller has locked with its release. */
    public Outcome record(Candidate candidate, DeploymentRequest request, String reporter) {
        request.validate();
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
            audit.append(reporter, AuditActions.DEPLOYMENT_IGNORED, new AuditLog.Subject(candidate.id.toString(),
                    candidate.kind.name(), candidate.name, candidate.version), data);
            return new Outcome(false, "The candidate is " + candidate.stage + ", not waiting for a " + request.stage()
                    + " deployment result; the result was recorded and ignored", candidate.id, candidate.stage.name(),
                    waiting);
        }
        em.flush();
        return new Outcome(true, null, candidate.id, candidate.stage.name(), waiting);
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
}
