package dev.tollgate.freeze;

import dev.tollgate.candidate.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The approved candidates whose production deployment waits (docs/governance.md, "Freeze windows"). */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ProductionHolds {

    private final EntityManager em;

    ProductionHolds(EntityManager em) {
        this.em = em;
    }

    /**
     * Records that the candidate's production deployment waits, and why; returns whether that is news (a new hold,
     * or one whose reason changed), which deserves an event.
     */
    public boolean hold(UUID candidateId, Freezes.Verdict verdict, Instant now) {
        ProductionHold hold = em.find(ProductionHold.class, candidateId);
        if (hold == null) {
            hold = new ProductionHold();
            hold.candidateId = candidateId;
            hold.heldAt = now;
            hold.reason = verdict.reason();
            hold.until = verdict.until();
            em.persist(hold);
            return true;
        }
        boolean news = !hold.waiting() || !Objects.equals(hold.reason, verdict.reason());
        if (!hold.waiting()) {
            hold.heldAt = now;
            hold.releasedAt = null;
            hold.outcome = null;
        }
        hold.reason = verdict.reason();
        hold.until = verdict.until();
        return news;
    }

    /** Ends the candidate's hold, if it waits. */
    public void end(UUID candidateId, ProductionHold.Outcome outcome, Instant now) {
        ProductionHold hold = em.find(ProductionHold.class, candidateId);
        if (hold != null && hold.waiting()) {
            hold.releasedAt = now;
            hold.outcome = outcome;
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ProductionHold> waiting(UUID candidateId) {
        return Optional.ofNullable(em.find(ProductionHold.class, candidateId)).filter(ProductionHold::waiting);
    }

    /** The candidates of one name that wait, newest submission first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UUID> waitingOf(Kind kind, String name) {
        return em.createQuery("""
                        select h.candidateId from ProductionHold h, Candidate c
                        where c.id = h.candidateId and h.releasedAt is null and c.kind = :kind and c.name = :name
                        order by c.submittedAt desc, c.id desc""", UUID.class)
                .setParameter("kind", kind).setParameter("name", name).getResultList();
    }

    /** Every candidate that waits, oldest hold first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ProductionHold> allWaiting() {
        return em.createQuery("from ProductionHold where releasedAt is null order by heldAt", ProductionHold.class)
                .getResultList();
    }
}
