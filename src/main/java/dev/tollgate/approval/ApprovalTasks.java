package dev.tollgate.approval;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.pipeline.RiskTier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The life of an approval task, as the workflow drives it: opened for a risk tier's quorum, reminded,
 * expired, cancelled with its promotion. Each step returns what happened; the workflow announces it,
 * schedules the timers and moves the engine on. The caller holds the candidate's row lock.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ApprovalTasks {

    /** A task was opened; {@code event} announces it with {@code reason}. */
    public record Opened(UUID taskId, PromotionEvent.ApprovalRequested event, String reason) {
    }

    /** An open task's reminder. */
    public record Reminder(PromotionEvent.ApprovalReminder event, String reason) {
    }

    /** Who rejected the candidate's latest task, and why. */
    public record Rejection(String by, String comment, boolean timeout) {
    }

    private final ApprovalStore store;
    private final Clock clock;

    ApprovalTasks(ApprovalStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Opens the task for the candidate's risk tier, due after {@code timeout}. */
    public Opened open(Candidate candidate, RiskTier tier, PipelinePolicy.Approval rule, Duration timeout) {
        ApprovalTask task = new ApprovalTask();
        task.id = UUID.randomUUID();
        task.candidateId = candidate.id;
        task.submittedBy = candidate.submittedBy;
        task.groups = rule.groups().toArray(String[]::new);
        task.required = rule.required();
        task.distinctGroups = rule.distinctGroups();
        task.tier = tier.name();
        task.status = ApprovalTask.Status.OPEN;
        task.createdAt = clock.instant();
        task.dueAt = task.createdAt.plus(timeout);
        store.persist(task);
        return new Opened(task.id, new PromotionEvent.ApprovalRequested(task.id.toString(), tier.name(), rule.required(),
                rule.groups(), rule.distinctGroups(), task.dueAt.toString()),
                tier + " risk: waiting for " + rule.required() + " approval(s) from " + String.join(" or ", rule.groups())
                        + (rule.distinctGroups() ? " (distinct groups)" : ""));
    }

    /** The reminder for a task that is still open; empty when it closed meanwhile. */
    public Optional<Reminder> remind(UUID taskId) {
        return openTask(taskId).map(task -> new Reminder(new PromotionEvent.ApprovalReminder(taskId.toString(),
                task.dueAt.toString(), store.approvalsOn(taskId).size(), task.required),
                "Approval still needed before " + task.dueAt));
    }

    /** Closes a task whose time ran out and returns its groups; empty when it closed meanwhile. */
    public Optional<List<String>> expire(UUID taskId) {
        return openTask(taskId).map(task -> {
            task.close(ApprovalTask.Status.EXPIRED, clock.instant());
            return List.of(task.groups);
        });
    }

    /** Closes the candidate's open task, if any, because the promotion was cancelled. */
    public void cancelOpen(UUID candidateId) {
        store.em().createQuery(
                        "update ApprovalTask set status = :cancelled, closedAt = :now where candidateId = :id and status = :open")
                .setParameter("cancelled", ApprovalTask.Status.CANCELLED).setParameter("now", clock.instant())
                .setParameter("id", candidateId).setParameter("open", ApprovalTask.Status.OPEN)
                .executeUpdate();
    }

    /** Who rejected the candidate's latest task, and why; the BPMN's reject step records it. */
    public Rejection rejectionOf(UUID candidateId) {
        Optional<ApprovalTask> latest = store.latest(candidateId);
        if (latest.isPresent() && latest.get().status == ApprovalTask.Status.EXPIRED) {
            ApprovalTask task = latest.get();
            return new Rejection(Transitions.SYSTEM, "timeout: " + store.approvalsOn(task.id).size() + " of "
                    + task.required + " approvals before " + task.dueAt, true);
        }
        return store.em().createQuery("""
                        select v from ApprovalVote v, ApprovalTask t
                        where v.taskId = t.id and t.candidateId = :candidate and v.decision = :reject
                        order by v.at desc""", ApprovalVote.class)
                .setParameter("candidate", candidateId)
                .setParameter("reject", ApprovalVote.Decision.REJECT)
                .setMaxResults(1)
                .getResultStream()
                .findFirst()
                .map(v -> new Rejection(v.voter, v.comment, false))
                .orElse(new Rejection(Transitions.SYSTEM, "Rejected", false));
    }

    private Optional<ApprovalTask> openTask(UUID taskId) {
        if (store.find(taskId).isEmpty()) {
            return Optional.empty();
        }
        ApprovalTask task = store.lock(taskId);
        return task.isOpen() ? Optional.of(task) : Optional.empty();
    }
}
