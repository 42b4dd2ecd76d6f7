package dev.tollgate.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Schedules and cancels durable timers, in the transaction of the stage change that needs them. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Timers {

    /** The timers of an open approval task. */
    public static final List<ScheduledTimer.Purpose> APPROVAL =
            List.of(ScheduledTimer.Purpose.APPROVAL_TIMEOUT, ScheduledTimer.Purpose.APPROVAL_REMINDER);

    private final EntityManager em;
    private final Clock clock;

    Timers(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    public ScheduledTimer schedule(UUID candidateId, ScheduledTimer.Purpose purpose, UUID subjectId, Duration after) {
        return scheduleAt(candidateId, purpose, subjectId, clock.instant().plus(after));
    }

    public ScheduledTimer scheduleAt(UUID candidateId, ScheduledTimer.Purpose purpose, UUID subjectId, Instant due) {
        ScheduledTimer timer = new ScheduledTimer();
        timer.id = UUID.randomUUID();
        timer.candidateId = candidateId;
        timer.purpose = purpose;
        timer.subjectId = subjectId;
        timer.dueAt = due;
        em.persist(timer);
        return timer;
    }

    /** Whether the candidate has a pending timer of this purpose. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean pending(UUID candidateId, ScheduledTimer.Purpose purpose) {
        return !em.createQuery("""
                        select t.id from ScheduledTimer t where t.candidateId = :id and t.purpose = :purpose
                          and t.firedAt is null and t.cancelledAt is null""")
                .setParameter("id", candidateId).setParameter("purpose", purpose).setMaxResults(1)
                .getResultList().isEmpty();
    }

    /**
     * Cancels the candidate's pending timers of these purposes (all of them when none is named).
     * A timer that the scheduler is firing at this moment is skipped rather than waited for: the
     * firing transaction holds its row and waits for this candidate's lock, so waiting here would
     * deadlock; once it has the lock it finds the stage over and does nothing.
     */
    public int cancel(UUID candidateId, Collection<ScheduledTimer.Purpose> purposes) {
        String filter = purposes.isEmpty() ? "" : " and purpose in (:purposes)";
        var query = em.createNativeQuery("update scheduled_timer set cancelled_at = :now where id in ("
                        + "select id from scheduled_timer where candidate_id = :id and fired_at is null"
                        + " and cancelled_at is null" + filter + " for update skip locked)")
                .setParameter("now", clock.instant())
                .setParameter("id", candidateId);
        if (!purposes.isEmpty()) {
            query.setParameter("purposes", purposes.stream().map(Enum::name).toList());
        }
        return query.executeUpdate();
    }
}
