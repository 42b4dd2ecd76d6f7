package dev.tollgate.workflow;

import dev.tollgate.release.DeploymentRequest;
import dev.tollgate.release.DeploymentService;
import dev.tollgate.candidate.CandidateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Applies one deployment result that arrived on Kafka, exactly once: the event's id is stored in
 * the same transaction as its effect, so a redelivered event finds its id and changes nothing. A record
 * that can never be applied is kept whole by {@link DeadLetters} instead, and audited.
 */
@ApplicationScoped
@Transactional
public class InboundDeployments {

    /** What became of an inbound event. */
    public enum Outcome { ACCEPTED, STALE, DUPLICATE, DEAD_LETTERED }

    /** The record can never be applied (an unknown candidate, a result that fails validation). */
    public static final class Unusable extends RuntimeException {
        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    private final EntityManager em;
    private final CandidateRepository candidates;
    private final Reports reports;
    private final Clock clock;
    private final Duration lockTimeout;

    InboundDeployments(EntityManager em, CandidateRepository candidates, Reports reports,
                       Clock clock,
                       @ConfigProperty(name = "tollgate.deployments.lock-timeout", defaultValue = "5s") Duration lockTimeout) {
        this.em = em;
        this.candidates = candidates;
        this.reports = reports;
        this.clock = clock;
        this.lockTimeout = lockTimeout;
    }

    /**
     * Applies a result; throws {@link Unusable} (nothing written) when it can never be applied. A
     * background consumer must not wait forever behind a busy row: after {@code lock-timeout} the
     * transaction fails, and the consumer retries the record later.
     */
    public Outcome apply(String eventId, String topic, UUID candidateId, DeploymentRequest request, String source) {
        em.createNativeQuery("select set_config('lock_timeout', :timeout, true)")
                .setParameter("timeout", lockTimeout.toMillis() + "ms")
                .setFlushMode(jakarta.persistence.FlushModeType.COMMIT) // reads no table: nothing to flush first
                .getSingleResult();
        if (!remember(eventId, topic)) {
            return Outcome.DUPLICATE;
        }
        if (candidates.findByIdOptional(candidateId).isEmpty()) {
            throw new Unusable("no candidate " + candidateId);
        }
        DeploymentService.Outcome outcome = reports.deployment(candidateId, request, source);
        Outcome result = outcome.accepted() ? Outcome.ACCEPTED : Outcome.STALE;
        em.createNativeQuery("update processed_event set outcome = :outcome, detail = :detail where event_id = :id")
                .setParameter("outcome", result.name()).setParameter("detail", outcome.reason()).setParameter("id", eventId)
                .executeUpdate();
        return result;
    }

    private boolean remember(String eventId, String topic) {
        return em.createNativeQuery("""
                        insert into processed_event (event_id, topic, outcome, received_at)
                        values (:id, :topic, 'RECEIVED', :now) on conflict (event_id) do nothing""")
                .setParameter("id", eventId).setParameter("topic", topic).setParameter("now", clock.instant())
                .executeUpdate() == 1;
    }
}
