package dev.tollgate.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and locks approval tasks and their votes; shared by the commands and the queries of this package. */
@ApplicationScoped
class ApprovalStore {

    private final EntityManager em;

    ApprovalStore(EntityManager em) {
        this.em = em;
    }

    Optional<ApprovalTask> find(UUID taskId) {
        return Optional.ofNullable(em.find(ApprovalTask.class, taskId));
    }

    /** The task under its row lock, as committed: the caller already holds its candidate's lock. */
    ApprovalTask lock(UUID taskId) {
        ApprovalTask task = em.find(ApprovalTask.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(task);
        return task;
    }

    /** The candidate's latest promotion approval task (a re-evaluation's tasks are not among them). */
    Optional<ApprovalTask> latest(UUID candidateId) {
        return em.createQuery("from ApprovalTask where candidateId = :id and reevaluationId is null order by createdAt desc",
                        ApprovalTask.class)
                .setParameter("id", candidateId).setMaxResults(1).getResultStream().findFirst();
    }

    /** A re-evaluation's "keep or roll back" task, if it opened one. */
    Optional<ApprovalTask> ofReevaluation(UUID reevaluationId) {
        return em.createQuery("from ApprovalTask where reevaluationId = :id order by createdAt desc", ApprovalTask.class)
                .setParameter("id", reevaluationId).setMaxResults(1).getResultStream().findFirst();
    }

    List<ApprovalVote> votesOn(UUID taskId) {
        return em.createQuery("from ApprovalVote where taskId = :id order by at, voter", ApprovalVote.class)
                .setParameter("id", taskId).getResultList();
    }

    List<ApprovalVote> approvalsOn(UUID taskId) {
        return votesOn(taskId).stream().filter(v -> v.decision.isAssent()).toList();
    }

    void persist(Object entity) {
        em.persist(entity);
    }

    EntityManager em() {
        return em;
    }
}
