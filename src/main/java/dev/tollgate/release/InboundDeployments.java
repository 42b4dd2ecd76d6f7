package dev.tollgate.release;

import dev.tollgate.audit.AuditLog;
import dev.tollgate.candidate.CandidateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Applies one deployment result that arrived on Kafka, exactly once: the event's id is stored in
 * the same transaction as its effect, so a redelivered event finds its id and changes nothing.
 */
@ApplicationScoped
@Transactional
public class InboundDeployments {

    /** What became of an inbound event. */
    public enum Outcome { ACCEPTED, STALE, DUPLICATE, UNKNOWN_CANDIDATE, POISON }

    private final EntityManager em;
    private final CandidateRepository candidates;
    private final DeploymentService deployments;
    private final AuditLog audit;
    private final Clock clock;

    InboundDeployments(EntityManager em, CandidateRepository candidates, DeploymentService deployments, AuditLog audit,
                       Clock clock) {
        this.em = em;
        this.candidates = candidates;
        this.deployments = deployments;
        this.audit = audit;
        this.clock = clock;
    }

    public Outcome apply(String eventId, String topic, UUID candidateId, DeploymentRequest request, String source) {
        if (!remember(eventId, topic)) {
            return Outcome.DUPLICATE;
        }
        if (candidates.findByIdOptional(candidateId).isEmpty()) {
            record(eventId, Outcome.UNKNOWN_CANDIDATE, "no candidate " + candidateId);
            audit.append(source, "deployment.rejected", AuditLog.Subject.NONE,
                    Map.of("eventId", eventId, "reason", "unknown candidate " + candidateId));
            return Outcome.UNKNOWN_CANDIDATE;
        }
        DeploymentService.Outcome outcome = deployments.report(candidateId, request, source);
        Outcome result = outcome.accepted() ? Outcome.ACCEPTED : Outcome.STALE;
        record(eventId, result, outcome.reason());
        return result;
    }

    /** Keeps a poison event's id and why it was refused; returns false when it was seen before. */
    public boolean poison(String eventId, String topic, String why) {
        if (!remember(eventId, topic)) {
            return false;
        }
        record(eventId, Outcome.POISON, why);
        audit.append("kafka:" + topic, "deployment.rejected", AuditLog.Subject.NONE,
                Map.of("eventId", eventId, "reason", why));
        return true;
    }

    private boolean remember(String eventId, String topic) {
        return em.createNativeQuery("""
                        insert into processed_event (event_id, topic, outcome, received_at)
                        values (:id, :topic, 'RECEIVED', :now) on conflict (event_id) do nothing""")
                .setParameter("id", eventId).setParameter("topic", topic).setParameter("now", clock.instant())
                .executeUpdate() == 1;
    }

    private void record(String eventId, Outcome outcome, String detail) {
        em.createNativeQuery("update processed_event set outcome = :outcome, detail = :detail where event_id = :id")
                .setParameter("outcome", outcome.name()).setParameter("detail", detail).setParameter("id", eventId)
                .executeUpdate();
    }
}
