package dev.tollgate.approval;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.EventTypes;
import dev.tollgate.candidate.Stage;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.pipeline.PromotionProcess;
import dev.tollgate.pipeline.RiskTier;
import dev.tollgate.pipeline.ScheduledTimer;
import dev.tollgate.pipeline.Timers;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.shared.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Approval tasks and votes. Every vote takes the candidate's and then the task's row lock, so
 * votes on one task are serialized: none is lost, none counts twice, and a vote that arrives after
 * the task closed is refused. Separation of duties is checked here, never left to the engine.
 */
@ApplicationScoped
@Transactional
public class ApprovalService {

    static final int MAX_COMMENT = 4000;
    private static final List<ScheduledTimer.Purpose> APPROVAL_TIMERS =
            List.of(ScheduledTimer.Purpose.APPROVAL_TIMEOUT, ScheduledTimer.Purpose.APPROVAL_REMINDER);

    private final EntityManager em;
    private final CandidateRepository candidates;
    private final Transitions transitions;
    private final PromotionProcess process;
    private final Timers timers;
    private final Clock clock;

    ApprovalService(EntityManager em, CandidateRepository candidates, Transitions transitions,
                    PromotionProcess process, Timers timers, Clock clock) {
        this.em = em;
        this.candidates = candidates;
        this.transitions = transitions;
        this.process = process;
        this.timers = timers;
        this.clock = clock;
    }

    /**
     * Opens the approval task for the candidate's risk tier, moves the candidate to
     * AWAITING_APPROVAL and schedules the reminder and the timeout. Returns the groups that may
     * vote, comma-separated (the BPMN user task's GroupId).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String open(Candidate candidate, RiskTier tier, PipelinePolicy.Approval rule, PipelinePolicy.Timeouts timeouts) {
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
        task.dueAt = task.createdAt.plus(timeouts.approval());
        em.persist(task);
        timers.schedule(candidate.id, ScheduledTimer.Purpose.APPROVAL_TIMEOUT, task.id, timeouts.approval());
        if (timeouts.approvalReminder() != null) {
            timers.schedule(candidate.id, ScheduledTimer.Purpose.APPROVAL_REMINDER, task.id, timeouts.approvalReminder());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("taskId", task.id.toString());
        data.put("tier", tier.name());
        data.put("required", rule.required());
        data.put("groups", rule.groups());
        data.put("distinctGroups", rule.distinctGroups());
        data.put("dueAt", task.dueAt.toString());
        transitions.move(candidate, Stage.AWAITING_APPROVAL, EventTypes.APPROVAL_REQUESTED, Transitions.SYSTEM,
                tier + " risk: waiting for " + rule.required() + " approval(s) from " + String.join(" or ", rule.groups())
                        + (rule.distinctGroups() ? " (distinct groups)" : ""), data);
        return String.join(",", rule.groups());
    }

    /** Sends the reminder event for a task that is still open. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void remind(UUID taskId) {
        ApprovalTask found = em.find(ApprovalTask.class, taskId);
        if (found == null) {
            return;
        }
        Candidate candidate = candidates.lock(found.candidateId);
        ApprovalTask task = em.find(ApprovalTask.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(task);
        if (!task.isOpen()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("taskId", taskId.toString());
        data.put("dueAt", task.dueAt.toString());
        data.put("granted", approvalsOn(taskId).size());
        data.put("required", task.required);
        transitions.record(candidate, EventTypes.APPROVAL_REMINDER, Transitions.SYSTEM,
                "Approval still needed before " + task.dueAt, data);
    }

    /** Closes a task whose time ran out; the promotion is then rejected (reason timeout). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void expire(UUID taskId) {
        ApprovalTask found = em.find(ApprovalTask.class, taskId);
        if (found == null) {
            return;
        }
        Candidate candidate = candidates.lock(found.candidateId);
        ApprovalTask task = em.find(ApprovalTask.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(task);
        if (!task.isOpen()) {
            return;
        }
        task.close(ApprovalTask.Status.EXPIRED, clock.instant());
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.APPROVAL_REMINDER));
        process.completeApproval(candidate.processInstanceId, ApprovalTask.Status.EXPIRED.name(), Transitions.SYSTEM,
                List.of(task.groups));
    }

    /** Closes the candidate's open task, if any, because the promotion was cancelled. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelOpen(UUID candidateId) {
        em.createQuery("update ApprovalTask set status = :cancelled, closedAt = :now where candidateId = :id and status = :open")
                .setParameter("cancelled", ApprovalTask.Status.CANCELLED).setParameter("now", clock.instant())
                .setParameter("id", candidateId).setParameter("open", ApprovalTask.Status.OPEN)
                .executeUpdate();
    }

    public ApprovalViews.DecisionResult decide(UUID taskId, DecisionRequest request, Caller caller) {
        ApprovalVote.Decision decision = validate(request);
        ApprovalTask found = em.find(ApprovalTask.class, taskId);
        if (found == null) {
            throw ProblemException.notFound("Approval task " + taskId);
        }
        // Lock order everywhere: candidate, then task.
        Candidate candidate = candidates.lock(found.candidateId);
        ApprovalTask task = em.find(ApprovalTask.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(task);

        if (caller.is(candidate.submittedBy)) {
            throw new ProblemException(ProblemType.SEPARATION_OF_DUTIES,
                    "You submitted this candidate, so you cannot vote on it");
        }
        if (Arrays.stream(task.groups).noneMatch(caller::hasRole)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Only members of " + String.join(", ", task.groups) + " may vote on this task");
        }
        if (!task.isOpen()) {
            throw new ProblemException(ProblemType.TASK_CLOSED, "This approval task is already " + task.status,
                    List.of(), Map.of("taskStatus", task.status.name()));
        }
        if (votesOn(taskId).stream().anyMatch(v -> caller.is(v.voter))) {
            throw new ProblemException(ProblemType.ALREADY_VOTED, "You have already voted on this task");
        }

        Instant now = clock.instant();
        ApprovalVote vote = new ApprovalVote();
        vote.taskId = taskId;
        vote.voter = caller.name();
        vote.decision = decision;
        vote.comment = blankToNull(request.comment());
        vote.voterRoles = caller.roles().stream().sorted().toArray(String[]::new);
        vote.at = now;
        em.persist(vote);

        if (decision == ApprovalVote.Decision.REJECT) {
            task.close(ApprovalTask.Status.REJECTED, now);
            timers.cancel(candidate.id, APPROVAL_TIMERS);
            process.completeApproval(candidate.processInstanceId, ApprovalTask.Status.REJECTED.name(), caller.name(),
                    caller.roles());
        } else {
            List<ApprovalVote> approvals = approvalsOn(taskId);
            int granted = approvals.size();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("taskId", taskId.toString());
            data.put("by", caller.name());
            data.put("comment", vote.comment);
            data.put("granted", granted);
            data.put("required", task.required);
            transitions.record(candidate, EventTypes.APPROVAL_GRANTED, caller.name(), vote.comment, data);
            if (Quorum.isMet(task, approvals)) {
                task.close(ApprovalTask.Status.APPROVED, now);
                timers.cancel(candidate.id, APPROVAL_TIMERS);
                Map<String, Object> approved = new LinkedHashMap<>();
                approved.put("taskId", taskId.toString());
                approved.put("approvers", approvals.stream().map(v -> v.voter).toList());
                transitions.record(candidate, EventTypes.APPROVED, caller.name(),
                        "Quorum of " + task.required + " reached", approved);
                process.completeApproval(candidate.processInstanceId, ApprovalTask.Status.APPROVED.name(), caller.name(),
                        caller.roles());
            }
        }
        em.flush();
        return result(task);
    }

    /** Who rejected the candidate's latest task, and why; the BPMN's reject step records it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Rejection rejectionOf(UUID candidateId) {
        Optional<ApprovalTask> latest = latestTask(candidateId);
        if (latest.isPresent() && latest.get().status == ApprovalTask.Status.EXPIRED) {
            ApprovalTask task = latest.get();
            return new Rejection(Transitions.SYSTEM, "timeout: " + approvalsOn(task.id).size() + " of " + task.required
                    + " approvals before " + task.dueAt, true);
        }
        return em.createQuery("""
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

    public record Rejection(String by, String comment, boolean timeout) {
    }

    private Optional<ApprovalTask> latestTask(UUID candidateId) {
        return em.createQuery("from ApprovalTask where candidateId = :id order by createdAt desc", ApprovalTask.class)
                .setParameter("id", candidateId).setMaxResults(1).getResultStream().findFirst();
    }

    /** The open tasks this caller may decide, oldest first: never their own candidates, never twice. */
    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public Page<ApprovalViews.InboxItem> inbox(Caller caller, Cursor after, int limit) {
        String sql = """
                select t.id, t.candidate_id, c.kind, c.name, c.version, c.submitted_by,
                       array_to_string(t.candidate_groups, ','), t.required,
                       (select count(*) from approval_vote v where v.task_id = t.id and v.decision = 'APPROVE'),
                       t.created_at, t.tier, t.due_at
                from approval_task t join candidate c on c.id = t.candidate_id
                where t.status = 'OPEN'
                  and lower(t.submitted_by) <> lower(:me)
                  and t.candidate_groups && cast(:roles as text[])
                  and not exists (select 1 from approval_vote v where v.task_id = t.id and lower(v.voter) = lower(:me))
                """ + (after == null ? "" : " and (t.created_at, t.id) > (:afterAt, :afterId)") + """
                 order by t.created_at, t.id
                 limit :limit""";
        var query = em.createNativeQuery(sql)
                .setParameter("me", caller.name())
                .setParameter("roles", pgArray(caller.roles()))
                .setParameter("limit", limit + 1);
        if (after != null) {
            query.setParameter("afterAt", after.at()).setParameter("afterId", after.id());
        }
        List<Object[]> rows = query.getResultList();
        List<ApprovalViews.InboxItem> items = new ArrayList<>();
        for (Object[] row : rows.subList(0, Math.min(limit, rows.size()))) {
            items.add(new ApprovalViews.InboxItem((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3],
                    (String) row[4], (String) row[5], List.of(((String) row[6]).split(",")),
                    ((Number) row[7]).intValue(), ((Number) row[8]).intValue(), toInstant(row[9]),
                    (String) row[10], row[11] == null ? null : toInstant(row[11])));
        }
        String next = rows.size() > limit
                ? new Cursor(items.get(items.size() - 1).createdAt(), items.get(items.size() - 1).taskId()).encode()
                : null;
        return new Page<>(items, next);
    }

    /**
     * How many tasks the caller's inbox holds, counted up to {@code cap} (the UI shows "99+" beyond
     * it): counting a huge inbox exactly would cost more than the page it decorates.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public int inboxCount(Caller caller, int cap) {
        Number count = (Number) em.createNativeQuery("""
                        select count(*) from (
                          select 1 from approval_task t
                          where t.status = 'OPEN'
                            and lower(t.submitted_by) <> lower(:me)
                            and t.candidate_groups && cast(:roles as text[])
                            and not exists (select 1 from approval_vote v where v.task_id = t.id and lower(v.voter) = lower(:me))
                          limit :cap) capped""")
                .setParameter("me", caller.name())
                .setParameter("roles", pgArray(caller.roles()))
                .setParameter("cap", cap)
                .getSingleResult();
        return count.intValue();
    }

    /** One task and its votes. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ApprovalViews.Task> task(UUID taskId) {
        return Optional.ofNullable(em.find(ApprovalTask.class, taskId)).map(task -> new ApprovalViews.Task(
                task.id, task.candidateId, task.status.name(), task.tier, List.of(task.groups), task.required,
                task.distinctGroups, task.submittedBy, task.createdAt, task.dueAt,
                votesOn(task.id).stream().map(v -> new ApprovalViews.Vote(v.voter, v.decision.name(), v.comment, v.at))
                        .toList()));
    }

    /** The candidate's latest approval task as the candidate view shows it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ApprovalViews.Summary> summary(UUID candidateId) {
        return latestTask(candidateId)
                .map(task -> {
                    List<ApprovalVote> votes = votesOn(task.id);
                    List<ApprovalViews.Granted> granted = votes.stream()
                            .filter(v -> v.decision == ApprovalVote.Decision.APPROVE)
                            .map(v -> new ApprovalViews.Granted(v.voter, v.at, v.comment)).toList();
                    String rejectedBy = votes.stream().filter(v -> v.decision == ApprovalVote.Decision.REJECT)
                            .map(v -> v.voter).findFirst().orElse(null);
                    return new ApprovalViews.Summary(task.required, task.id, task.status.name(), task.tier,
                            List.of(task.groups), task.distinctGroups, task.dueAt, granted, rejectedBy);
                });
    }

    private ApprovalViews.DecisionResult result(ApprovalTask task) {
        List<ApprovalVote> votes = votesOn(task.id);
        int granted = (int) votes.stream().filter(v -> v.decision == ApprovalVote.Decision.APPROVE).count();
        return new ApprovalViews.DecisionResult(task.id, task.candidateId, task.status.name(), task.required, granted,
                votes.stream().map(v -> new ApprovalViews.Vote(v.voter, v.decision.name(), v.comment, v.at)).toList());
    }

    private List<ApprovalVote> votesOn(UUID taskId) {
        return em.createQuery("from ApprovalVote where taskId = :id order by at, voter", ApprovalVote.class)
                .setParameter("id", taskId).getResultList();
    }

    private List<ApprovalVote> approvalsOn(UUID taskId) {
        return votesOn(taskId).stream().filter(v -> v.decision == ApprovalVote.Decision.APPROVE).toList();
    }

    private static ApprovalVote.Decision validate(DecisionRequest request) {
        List<FieldError> errors = new ArrayList<>();
        ApprovalVote.Decision decision = null;
        if (request.decision() == null) {
            errors.add(new FieldError("decision", "is required (APPROVE or REJECT)"));
        } else {
            try {
                decision = ApprovalVote.Decision.valueOf(request.decision());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("decision", "must be APPROVE or REJECT"));
            }
        }
        if (request.comment() != null && request.comment().length() > MAX_COMMENT) {
            errors.add(new FieldError("comment", "must be at most " + MAX_COMMENT + " characters"));
        } else if (StoredText.problem(request.comment()) != null) {
            errors.add(new FieldError("comment", StoredText.problem(request.comment())));
        }
        if (decision == ApprovalVote.Decision.REJECT && blankToNull(request.comment()) == null) {
            errors.add(new FieldError("comment", "is required when rejecting: say why"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return decision;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String pgArray(java.util.Collection<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (String value : values) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
