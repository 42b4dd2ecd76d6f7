package dev.tollgate.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/** Schedules and cancels durable timers, in the transaction of the stage change that needs them. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Timers {

    private final EntityManager em;
    private final Clock clock;

    Timers(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    public ScheduledTimer schedule(UUID candidateId, ScheduledTimer.Purpose purpose, UUID subjectId, Duration after) {
        ScheduledTimer timer = new ScheduledTimer();
        timer.id = UUID.randomUUID();
        timer.candidateId = candidateId;
        timer.purpose = purpose;
        timer.subjectId = subjectId;
        timer.dueAt = clock.instant().plus(after);
        em.persist(timer);
        return timer;
    }

    /** Cancels the candidate's pending timers of these purposes (all of them when none is named). */
    public int cancel(UUID candidateId, Collection<ScheduledTimer.Purpose> purposes) {
        Instant now = clock.instant();
        String filter = purposes.isEmpty() ? "" : " and purpose in :purposes";
        var query = em.createQuery("update ScheduledTimer set cancelledAt = :now where candidateId = :id"
                        + " and firedAt is null and cancelledAt is null" + filter)
                .setParameter("now", now)
                .setParameter("id", candidateId);
        if (!purposes.isEmpty()) {
            query.setParameter("purposes", purposes);
        }
        return query.executeUpdate();
    }
}
