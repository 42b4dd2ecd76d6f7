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

    /** A task whose time ran out: the groups that could have voted, and the process instance waiting on it. */
    public record Expired(List<String> groups, String processInstanceId) {
    }

    /** Votes set aside: the task they were cast on, the task that replaces it, and who had voted. */
    public record Reset(UUID previousTaskId, UUID taskId, List<String> voters, java.time.Instant dueAt,
                        java.time.Instant openedAt) {
    }

    /** How a re-evaluation's task closed: its status, who assented (to keep), and who rolled back with what word. */
    public record Decision(ApprovalTask.Status status, List<String> keptBy, String rolledBackBy, String comment) {
    }

    private final ApprovalStore store;
    private final Clock clock;
    private final ApprovalMeters meters;

    ApprovalTasks(ApprovalStore store, Clock clock, ApprovalMeters meters) {
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    /** Opens the task for the candidate's risk tier, due after {@code timeout}. */
    public Opened open(Candidate candidate, RiskTier tier, PipelinePolicy.Approval rule, Duration timeout) {
        ApprovalTask task = newTask(candidate, tier, rule, timeout, candidate.processInstanceId, null);
        return new Opened(task.id, new PromotionEvent.ApprovalRequested(task.id.toString(), tier.name(), rule.required(),
                rule.groups(), rule.distinctGroups(), task.dueAt.toString(), null),
                tier + " risk: waiting for " + rule.required() + " approval(s) from " + String.join(" or ", rule.groups())
                        + (rule.distinctGroups() ? " (distinct groups)" : ""));
    }

    /**
     * Opens a re-evaluation's "keep or roll back" task for the version in production: the same inbox, quorum rules
     * and separation of duties as an approval; {@code processInstanceId} is the re-evaluation's instance.
     */
    public Opened openDecision(Candidate candidate, UUID reevaluationId, String processInstanceId, RiskTier tier,
                               PipelinePolicy.Approval rule, Duration timeout) {
        ApprovalTask task = newTask(candidate, tier, rule, timeout, processInstanceId, reevaluationId);
        return new Opened(task.id, new PromotionEvent.ApprovalRequested(task.id.toString(), tier.name(), rule.required(),
                rule.groups(), rule.distinctGroups(), task.dueAt.toString(), reevaluationId.toString()),
                "Keep version " + candidate.version + " in production or roll it back: " + rule.required()
                        + " decision(s) from " + String.join(" or ", rule.groups()) + " to keep it, one to roll back");
    }

    /** How a re-evaluation's task closed; empty when it opened none. */
    public Optional<Decision> decisionOf(UUID reevaluationId) {
        return store.ofReevaluation(reevaluationId).map(task -> {
            List<ApprovalVote> votes = store.votesOn(task.id);
            ApprovalVote rollBack = votes.stream().filter(v -> v.decision == ApprovalVote.Decision.ROLL_BACK)
                    .findFirst().orElse(null);
            return new Decision(task.status, votes.stream().filter(v -> v.decision.isAssent()).map(v -> v.voter).toList(),
                    rollBack == null ? null : rollBack.voter, rollBack == null ? null : rollBack.comment);
        });
    }

    /** Closes a re-evaluation's open task, if any, because the re-evaluation ended without it. */
    public void cancelDecision(UUID reevaluationId) {
        store.em().createQuery(
                        "update ApprovalTask set status = :cancelled, closedAt = :now where reevaluationId = :id and status = :open")
                .setParameter("cancelled", ApprovalTask.Status.CANCELLED).setParameter("now", clock.instant())
                .setParameter("id", reevaluationId).setParameter("open", ApprovalTask.Status.OPEN)
                .executeUpdate();
    }

    private ApprovalTask newTask(Candidate candidate, RiskTier tier, PipelinePolicy.Approval rule, Duration timeout,
                                 String processInstanceId, UUID reevaluationId) {
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
        task.processInstanceId = processInstanceId;
        task.reevaluationId = reevaluationId;
        store.persist(task);
        return task;
    }

    /** The reminder for a task that is still open; empty when it closed meanwhile. */
    public Optional<Reminder> remind(UUID taskId) {
        return openTask(taskId).map(task -> new Reminder(new PromotionEvent.ApprovalReminder(taskId.toString(),
                task.dueAt.toString(), store.approvalsOn(taskId).size(), task.required),
                (task.decidesReevaluation() ? "Keep-or-roll-back decision" : "Approval") + " still needed before "
                        + task.dueAt));
    }

    /** Closes a task whose time ran out; empty when it closed meanwhile. */
    public Optional<Expired> expire(UUID taskId) {
        return openTask(taskId).map(task -> {
            task.close(ApprovalTask.Status.EXPIRED, clock.instant());
            meters.closed(task);
            return new Expired(List.of(task.groups), task.processInstanceId);
        });
    }

    /** The candidate's open approval task, if it waits for votes. */
    public Optional<UUID> openTaskOf(UUID candidateId) {
        return store.latest(candidateId).filter(t -> t.status == ApprovalTask.Status.OPEN).map(t -> t.id);
    }

    /**
     * Sets aside the votes cast on the candidate's open task because the evidence changed after them: the task closes
     * RESET and a new one, with the same quorum, groups and due time, takes its place. Empty when nobody had voted.
     */
    public Optional<Reset> resetVotes(UUID candidateId) {
        Optional<ApprovalTask> latest = store.latest(candidateId).filter(t -> t.status == ApprovalTask.Status.OPEN);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        ApprovalTask open = store.lock(latest.get().id);
        List<ApprovalVote> votes = store.votesOn(open.id);
        if (open.status != ApprovalTask.Status.OPEN || votes.isEmpty()) {
            return Optional.empty();
        }
        open.close(ApprovalTask.Status.RESET, clock.instant());
        meters.closed(open);
        ApprovalTask fresh = new ApprovalTask();
        fresh.id = UUID.randomUUID();
        fresh.candidateId = open.candidateId;
        fresh.submittedBy = open.submittedBy;
        fresh.groups = open.groups;
        fresh.required = open.required;
        fresh.distinctGroups = open.distinctGroups;
        fresh.tier = open.tier;
        fresh.status = ApprovalTask.Status.OPEN;
        fresh.createdAt = clock.instant();
        fresh.dueAt = open.dueAt;
        fresh.processInstanceId = open.processInstanceId;
        store.persist(fresh);
        return Optional.of(new Reset(open.id, fresh.id, votes.stream().map(v -> v.voter).toList(), fresh.dueAt,
                open.createdAt));
    }

    /** Closes the candidate's open task APPROVED by a break-glass; empty when no task was open. */
    public Optional<Expired> approveByBreakGlass(UUID candidateId) {
        return store.latest(candidateId).filter(t -> t.status == ApprovalTask.Status.OPEN).map(t -> {
            ApprovalTask task = store.lock(t.id);
            task.close(ApprovalTask.Status.APPROVED, clock.instant());
            meters.closed(task);
            return new Expired(List.of(task.groups), task.processInstanceId);
        });
    }

    /** Closes the candidate's open task, if any, because the promotion was cancelled. */
    public void cancelOpen(UUID candidateId) {
        List<ApprovalTask> open = store.em().createQuery(
                        "from ApprovalTask where candidateId = :id and status = :open", ApprovalTask.class)
                .setParameter("id", candidateId).setParameter("open", ApprovalTask.Status.OPEN)
                .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        for (ApprovalTask task : open) {
            task.close(ApprovalTask.Status.CANCELLED, clock.instant());
            meters.closed(task);
        }
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
