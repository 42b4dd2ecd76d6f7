package dev.tollgate.candidate;

import dev.tollgate.shared.AdvisoryLocks;
import dev.tollgate.shared.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class CandidateRepository implements PanacheRepositoryBase<Candidate, UUID> {

    /** The candidate, row-locked until the transaction ends; every stage change goes through this. */
    public Candidate lock(UUID id) {
        Candidate candidate = findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (candidate == null) {
            throw ProblemException.notFound("Candidate " + id);
        }
        return candidate;
    }

    public Optional<Candidate> findByIdentity(Kind kind, String name, String version) {
        return find("kind = ?1 and name = ?2 and version = ?3", kind, name, version).firstResultOptional();
    }

    public Optional<Candidate> inProduction(Kind kind, String name) {
        return find("kind = ?1 and name = ?2 and stage = ?3", kind, name, Stage.IN_PRODUCTION).firstResultOptional();
    }

    /** A newer version of the candidate's name on its way to production or serving there, if any. */
    public Optional<Candidate> newerOnItsWay(Candidate candidate) {
        return find("kind = ?1 and name = ?2 and submittedAt > ?3 and stage in ?4 order by submittedAt desc",
                candidate.kind, candidate.name, candidate.submittedAt,
                java.util.List.of(Stage.DEPLOYING_PRODUCTION, Stage.IN_PRODUCTION)).firstResultOptional();
    }

    /** Whether a rollback of (kind, name) is under way: a version waits to be deployed back into production. */
    public boolean rollbackUnderWay(Kind kind, String name) {
        return find("kind = ?1 and name = ?2 and rollbackInstanceId is not null", kind, name).firstResultOptional()
                .isPresent();
    }

    /**
     * Serializes changes to what serves for (kind, name) until the transaction ends, so that two
     * promotions of the same name never both see "nothing in production".
     */
    public void lockRelease(Kind kind, String name) {
        AdvisoryLocks.hold(getEntityManager(), AdvisoryLocks.RELEASE, "release:" + kind + "/" + name);
    }

    /**
     * Serializes submissions that could collide until the transaction ends: those with the same
     * Idempotency-Key of the same caller, then those of the same (kind, name, version). Taken before any
     * other lock of the submission (docs/operations.md, "Locks").
     */
    public void lockSubmission(String principal, String idempotencyKey, Kind kind, String name, String version) {
        if (idempotencyKey != null) {
            advisoryLock("idempotency:" + principal + "\n" + idempotencyKey);
        }
        advisoryLock("submission:" + kind + "/" + name + "/" + version);
    }

    private void advisoryLock(String key) {
        AdvisoryLocks.hold(getEntityManager(), AdvisoryLocks.SUBMISSION, key);
    }

    /** One page of the newest-first list, after the cursor position if there is one. */
    public List<Candidate> page(CandidateFilter filter, Instant afterAt, UUID afterId, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        var params = new java.util.HashMap<String, Object>();
        if (filter.kind() != null) {
            where.append(" and kind = :kind");
            params.put("kind", filter.kind());
        }
        if (filter.name() != null) {
            where.append(" and name = :name");
            params.put("name", filter.name());
        }
        if (filter.stage() != null) {
            where.append(" and stage = :stage");
            params.put("stage", filter.stage());
        }
        if (filter.active() != null) {
            where.append(filter.active() ? " and stage not in :terminal" : " and stage in :terminal");
            params.put("terminal", java.util.Arrays.stream(Stage.values()).filter(Stage::isTerminal).toList());
        }
        if (filter.submittedBy() != null) {
            where.append(" and submittedBy = :submittedBy");
            params.put("submittedBy", filter.submittedBy());
        }
        if (afterAt != null) {
            where.append(" and (submittedAt < :afterAt or (submittedAt = :afterAt and id < :afterId))");
            params.put("afterAt", afterAt);
            params.put("afterId", afterId);
        }
        var query = getEntityManager().createQuery(
                "from Candidate where " + where + " order by submittedAt desc, id desc", Candidate.class);
        params.forEach(query::setParameter);
        return query.setMaxResults(limit).getResultList();
    }

    public List<HistoryEntry> history(UUID candidateId) {
        return getEntityManager()
                .createQuery("from HistoryEntry where candidateId = :id order by seq", HistoryEntry.class)
                .setParameter("id", candidateId)
                .getResultList();
    }

    /** List filters; null means "any". {@code active} true keeps non-terminal stages, false terminal ones. */
    public record CandidateFilter(Kind kind, String name, Stage stage, Boolean active, String submittedBy) {
    }
}
