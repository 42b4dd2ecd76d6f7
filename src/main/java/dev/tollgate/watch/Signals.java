package dev.tollgate.watch;

import dev.tollgate.audit.AuditActions;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.shared.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The signals monitors sent: stored once per signal id with what they led to, and audited. A signal id seen
 * again with the same content is the same signal (a retry); with other content it is refused.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Signals {

    /** What a signal led to: its outcome, the version it was about, the re-evaluation it started or joined. */
    public record Handled(Signal.Outcome outcome, String detail, UUID candidateId, UUID reevaluationId) {
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AfterCommit afterCommit;

    Signals(EntityManager em, AuditLog audit, Clock clock, MeterRegistry registry, AfterCommit afterCommit) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
        this.registry = registry;
        this.afterCommit = afterCommit;
    }

    /**
     * The signal stored under this id, when a retry brings it again; a 422 when the id was used for another
     * signal.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Signal> earlier(ValidSignal signal) {
        Optional<Signal> stored = em.createQuery("from Signal where signalId = :id", Signal.class)
                .setParameter("id", signal.signalId()).getResultStream().findFirst();
        stored.filter(s -> !s.contentHash.equals(signal.contentHash())).ifPresent(s -> {
            throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "Signal " + signal.signalId()
                    + " was received before with other content; give each signal its own id",
                    List.of(new FieldError("signalId", "was used for another signal")), Map.of());
        });
        return stored;
    }

    /** Stores the signal with what it led to, and audits it, in the transaction of its effect. */
    public Signal record(ValidSignal in, String receivedBy, Handled handled) {
        Signal signal = new Signal();
        signal.signalId = in.signalId();
        signal.contentHash = in.contentHash();
        signal.type = in.type();
        signal.status = in.status();
        signal.kind = in.kind().name();
        signal.name = in.name();
        signal.metric = in.metric();
        signal.value = in.value();
        signal.threshold = in.threshold();
        signal.provider = in.provider();
        signal.model = in.model();
        signal.modelFingerprint = in.fingerprint();
        signal.alertKey = in.alertKey();
        signal.source = in.source();
        signal.observedAt = in.observedAt();
        signal.data = in.data();
        signal.receivedBy = receivedBy;
        signal.receivedAt = clock.instant();
        signal.candidateId = handled.candidateId();
        signal.reevaluationId = handled.reevaluationId();
        signal.outcome = handled.outcome();
        signal.detail = handled.detail();
        em.persist(signal);
        audit.append(receivedBy, AuditActions.SIGNAL_RECEIVED, new AuditLog.Subject(
                handled.candidateId() == null ? null : handled.candidateId().toString(), signal.kind, signal.name, null),
                auditData(signal));
        String type = signal.type.name().toLowerCase(java.util.Locale.ROOT);
        String outcome = signal.outcome.name();
        afterCommit.run(() -> Counter.builder("tollgate.signals.received").description("Signals from monitors, by outcome")
                .tags("type", type, "outcome", outcome).register(registry).increment());
        return signal;
    }

    /** The firing signal a resolved alert closes. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Signal> firing(String alertKey) {
        return em.createQuery("from Signal where alertKey = :key and status = :firing order by id", Signal.class)
                .setParameter("key", alertKey).setParameter("firing", Signal.Status.FIRING)
                .setMaxResults(1).getResultStream().findFirst();
    }

    /**
     * Whether any signal that started or joined the re-evaluation still stands once the alert {@code resolving}
     * resolves: a signal that is not an alert, or another alert that has not resolved.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean standing(UUID reevaluationId, String resolving) {
        Number open = (Number) em.createNativeQuery("""
                        select count(*) from signal s where s.reevaluation_id = :id and s.status = 'FIRING'
                          and (s.alert_key is null or (s.alert_key <> :resolving and not exists (select 1 from signal r
                               where r.alert_key = s.alert_key and r.status = 'RESOLVED')))""")
                .setParameter("id", reevaluationId).setParameter("resolving", resolving).getSingleResult();
        return open.longValue() > 0;
    }

    /** The signals a re-evaluation took in, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Signal> of(UUID reevaluationId) {
        return em.createQuery("from Signal where reevaluationId = :id order by id", Signal.class)
                .setParameter("id", reevaluationId).getResultList();
    }

    private static Map<String, Object> auditData(Signal s) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("signalId", s.signalId);
        data.put("type", s.type.name());
        data.put("status", s.status.name());
        putIfSet(data, "metric", s.metric);
        putIfSet(data, "value", s.value);
        putIfSet(data, "threshold", s.threshold);
        putIfSet(data, "provider", s.provider);
        putIfSet(data, "model", s.model);
        putIfSet(data, "fingerprint", s.modelFingerprint);
        putIfSet(data, "source", s.source);
        putIfSet(data, "observedAt", s.observedAt == null ? null : s.observedAt.toString());
        data.put("outcome", s.outcome.name());
        putIfSet(data, "detail", s.detail);
        putIfSet(data, "reevaluationId", s.reevaluationId == null ? null : s.reevaluationId.toString());
        return data;
    }

    private static void putIfSet(Map<String, Object> data, String key, Object value) {
        if (value != null) {
            data.put(key, value);
        }
    }
}
