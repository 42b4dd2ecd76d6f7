package dev.tollgate.watch;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.shared.AfterCommit;
import dev.tollgate.shared.Cursor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.tollgate.shared.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Re-evaluations of versions in production: opened, joined by later signals, judged and ended as
 * reevaluation.bpmn drives them. The caller holds the version's row lock; the database refuses a second
 * re-evaluation under way for one version (a partial unique index), whatever the callers do.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Reevaluations {

    /** List filters; null means "any". {@code open} true keeps those under way, false the ended ones. */
    public record Filter(String kind, String name, Boolean open, UUID candidateId) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AfterCommit afterCommit;

    Reevaluations(EntityManager em, Clock clock, MeterRegistry registry, AfterCommit afterCommit) {
        this.em = em;
        this.clock = clock;
        this.registry = registry;
        this.afterCommit = afterCommit;
    }

    /** The re-evaluation under way for this version, if any. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Reevaluation> underWay(UUID candidateId) {
        return em.createQuery("from Reevaluation where candidateId = :id and status in :open", Reevaluation.class)
                .setParameter("id", candidateId)
                .setParameter("open", List.of(Reevaluation.Status.RUNNING, Reevaluation.Status.AWAITING_DECISION))
                .getResultStream().findFirst();
    }

    /** Whether the re-evaluation still waits for suites to report. */
    public static boolean waitsForSuites(Reevaluation reevaluation) {
        return reevaluation.status == Reevaluation.Status.RUNNING && reevaluation.judgedAt == null
                && !reevaluation.suiteList().isEmpty();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Reevaluation> find(UUID id) {
        return Optional.ofNullable(em.find(Reevaluation.class, id));
    }

    /**
     * The re-evaluation, row-locked and as committed (with this transaction's own changes): the caller holds its
     * version's lock.
     */
    public Reevaluation lock(UUID id) {
        em.flush();
        Reevaluation reevaluation = em.find(Reevaluation.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (reevaluation == null) {
            throw ProblemException.notFound("Re-evaluation " + id);
        }
        em.refresh(reevaluation);
        return reevaluation;
    }

    /** Opens a re-evaluation of the version; the suites must report within {@code timeout} (none: no suites). */
    public Reevaluation open(Candidate candidate, Reevaluation.Trigger trigger, String reason, String policyDigest,
                             List<String> suites, Duration timeout) {
        Instant now = clock.instant();
        Reevaluation reevaluation = new Reevaluation();
        reevaluation.id = UUID.randomUUID();
        reevaluation.candidateId = candidate.id;
        reevaluation.kind = candidate.kind.name();
        reevaluation.name = candidate.name;
        reevaluation.trigger = trigger;
        reevaluation.reason = reason;
        reevaluation.policyDigest = policyDigest;
        reevaluation.suites = suites.toArray(String[]::new);
        reevaluation.status = Reevaluation.Status.RUNNING;
        reevaluation.startedAt = now;
        reevaluation.dueAt = suites.isEmpty() ? null : now.plus(timeout);
        em.persist(reevaluation);
        em.flush(); // the partial unique index speaks now, inside the caller's locks, not at commit
        afterCommit.run(() -> Counter.builder("tollgate.reevaluations.started").description("Re-evaluations started")
                .tags("trigger", trigger.name()).register(registry).increment());
        return reevaluation;
    }

    /** Counts one more signal in the re-evaluation under way. */
    public void merge(Reevaluation reevaluation) {
        reevaluation.signals++;
    }

    /** Records the verdict, its evidence and the reaction it leads to. */
    public void judged(Reevaluation reevaluation, Reevaluation.Verdict verdict, Reevaluation.Reaction reaction,
                       List<Map<String, Object>> gates, List<Map<String, Object>> comparison) {
        reevaluation.verdict = verdict;
        reevaluation.reaction = reaction;
        reevaluation.gates = gates;
        reevaluation.comparison = comparison;
        reevaluation.judgedAt = clock.instant();
        reevaluation.status = reaction == Reevaluation.Reaction.ASK ? Reevaluation.Status.AWAITING_DECISION
                : reevaluation.status;
    }

    /** Ends the re-evaluation with {@code status}; {@code how} says how, in words. */
    public void end(Reevaluation reevaluation, Reevaluation.Status status, String how) {
        reevaluation.end(status, how, clock.instant());
        afterCommit.run(() -> Counter.builder("tollgate.reevaluations.ended").description("Re-evaluations ended, by how")
                .tags("status", status.name()).register(registry).increment());
    }

    /** One page of re-evaluations, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Reevaluation> page(Filter filter, Cursor after, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.kind() != null) {
            where.append(" and kind = :kind");
            params.put("kind", filter.kind());
        }
        if (filter.name() != null) {
            where.append(" and name = :name");
            params.put("name", filter.name());
        }
        if (filter.candidateId() != null) {
            where.append(" and candidateId = :candidate");
            params.put("candidate", filter.candidateId());
        }
        if (filter.open() != null) {
            where.append(filter.open() ? " and status in :open" : " and status not in :open");
            params.put("open", List.of(Reevaluation.Status.RUNNING, Reevaluation.Status.AWAITING_DECISION));
        }
        if (after != null) {
            where.append(" and (startedAt < :afterAt or (startedAt = :afterAt and id < :afterId))");
            params.put("afterAt", after.at());
            params.put("afterId", after.id());
        }
        var query = em.createQuery("from Reevaluation where " + where + " order by startedAt desc, id desc",
                Reevaluation.class);
        params.forEach(query::setParameter);
        return query.setMaxResults(limit).getResultList();
    }
}
