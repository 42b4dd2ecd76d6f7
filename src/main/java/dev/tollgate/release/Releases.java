package dev.tollgate.release;

import dev.tollgate.candidate.Candidate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which version serves (kind, name) in each environment, and since when. Callers hold the
 * (kind, name) release lock; the database's partial unique index refuses two current versions.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Releases {

    public static final String STAGING = "staging";
    public static final String PRODUCTION = "production";

    private final EntityManager em;
    private final Clock clock;

    Releases(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** The candidate now serves in {@code environment}; whatever served there before stops. */
    public void start(Candidate candidate, String environment) {
        Instant now = clock.instant();
        end(candidate.kind.name(), candidate.name, environment, now);
        em.flush();
        ReleasePeriod period = new ReleasePeriod();
        period.kind = candidate.kind.name();
        period.name = candidate.name;
        period.environment = environment;
        period.candidateId = candidate.id;
        period.version = candidate.version;
        period.startedAt = now;
        em.persist(period);
    }

    public void end(String kind, String name, String environment, Instant at) {
        em.createQuery("""
                        update ReleasePeriod set endedAt = :at
                        where kind = :kind and name = :name and environment = :env and endedAt is null""")
                .setParameter("at", at).setParameter("kind", kind).setParameter("name", name)
                .setParameter("env", environment)
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ReleasePeriod> at(String kind, String name, String environment, Instant at) {
        return em.createQuery("""
                        from ReleasePeriod where kind = :kind and name = :name and environment = :env
                          and startedAt <= :at and (endedAt is null or endedAt > :at)
                        order by startedAt desc""", ReleasePeriod.class)
                .setParameter("kind", kind).setParameter("name", name).setParameter("env", environment)
                .setParameter("at", at)
                .setMaxResults(1)
                .getResultStream().findFirst();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReleasePeriod> history(String kind, String name, String environment, int limit) {
        return em.createQuery("""
                        from ReleasePeriod where kind = :kind and name = :name and environment = :env
                        order by startedAt desc""", ReleasePeriod.class)
                .setParameter("kind", kind).setParameter("name", name).setParameter("env", environment)
                .setMaxResults(limit)
                .getResultList();
    }

    /** What serves now, every name and environment (the UI's releases page). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReleasePeriod> current(int limit) {
        return em.createQuery("from ReleasePeriod where endedAt is null order by kind, name, environment",
                        ReleasePeriod.class)
                .setMaxResults(limit)
                .getResultList();
    }
}
