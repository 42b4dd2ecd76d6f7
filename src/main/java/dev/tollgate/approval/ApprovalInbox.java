package dev.tollgate.approval;

import dev.tollgate.security.Caller;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What approvers see: their inbox, one task with its votes, a candidate's latest task, whether they may decide. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ApprovalInbox {

    /** The open tasks a caller may decide: never their own candidates, never twice. */
    private static final String DECIDABLE = """
            t.status = 'OPEN'
              and lower(t.submitted_by) <> lower(:me)
              and t.candidate_groups && cast(:roles as text[])
              and not exists (select 1 from approval_vote v where v.task_id = t.id and lower(v.voter) = lower(:me))
            """;

    private final ApprovalStore store;

    ApprovalInbox(ApprovalStore store) {
        this.store = store;
    }

    /** The open tasks this caller may decide, oldest first. */
    public Page<ApprovalViews.InboxItem> inbox(Caller caller, Cursor after, int limit) {
        String sql = """
                select t.id as task_id, t.candidate_id, c.kind, c.name, c.version, c.submitted_by,
                       array_to_string(t.candidate_groups, ',') as groups, t.required,
                       (select count(*) from approval_vote v where v.task_id = t.id and v.decision in ('APPROVE', 'KEEP')) as granted,
                       t.created_at, t.tier, t.due_at, t.reevaluation_id
                from approval_task t join candidate c on c.id = t.candidate_id
                """ + " where " + DECIDABLE + (after == null ? "" : " and (t.created_at, t.id) > (:afterAt, :afterId)") + """
                 order by t.created_at, t.id
                 limit :limit""";
        var query = store.em().createNativeQuery(sql, Tuple.class)
                .setParameter("me", caller.name())
                .setParameter("roles", pgArray(caller.roles()))
                .setParameter("limit", limit + 1);
        if (after != null) {
            query.setParameter("afterAt", after.at()).setParameter("afterId", after.id());
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = query.getResultList();
        List<ApprovalViews.InboxItem> items = rows.subList(0, Math.min(limit, rows.size())).stream()
                .map(row -> new ApprovalViews.InboxItem(row.get("task_id", UUID.class), row.get("candidate_id", UUID.class),
                        row.get("kind", String.class), row.get("name", String.class), row.get("version", String.class),
                        row.get("submitted_by", String.class), List.of(row.get("groups", String.class).split(",")),
                        row.get("required", Number.class).intValue(), row.get("granted", Number.class).intValue(),
                        instant(row.get("created_at")), row.get("tier", String.class), instant(row.get("due_at")),
                        row.get("reevaluation_id", UUID.class)))
                .toList();
        String next = rows.size() > limit
                ? new Cursor(items.get(items.size() - 1).createdAt(), items.get(items.size() - 1).taskId()).encode()
                : null;
        return new Page<>(items, next);
    }

    /**
     * How many tasks the caller's inbox holds, counted up to {@code cap} (the UI shows "99+" beyond
     * it): counting a huge inbox exactly would cost more than the page it decorates.
     */
    public int inboxCount(Caller caller, int cap) {
        Number count = (Number) store.em().createNativeQuery(
                        "select count(*) from (select 1 from approval_task t where " + DECIDABLE + " limit :cap) capped")
                .setParameter("me", caller.name())
                .setParameter("roles", pgArray(caller.roles()))
                .setParameter("cap", cap)
                .getSingleResult();
        return count.intValue();
    }

    /** One task and its votes. */
    public Optional<ApprovalViews.Task> task(UUID taskId) {
        return store.find(taskId).map(task -> new ApprovalViews.Task(
                task.id, task.candidateId, task.status.name(), task.tier, List.of(task.groups), task.required,
                task.distinctGroups, task.submittedBy, task.createdAt, task.dueAt,
                store.votesOn(task.id).stream().map(ApprovalViews.Vote::of).toList(), task.reevaluationId));
    }

    /** A re-evaluation's "keep or roll back" task and its votes, if it opened one. */
    public Optional<ApprovalViews.Task> ofReevaluation(UUID reevaluationId) {
        return store.ofReevaluation(reevaluationId).flatMap(task -> task(task.id));
    }

    /** Why this caller may not vote on the task now, or empty if it may (the vote itself checks again). */
    public Optional<ApprovalVotes.Refusal> refusal(UUID taskId, Caller caller) {
        return store.find(taskId).map(task -> ApprovalVotes.Refusal.of(task, store.votesOn(taskId), task.submittedBy,
                caller.name(), caller.roles()));
    }

    /** The candidate's latest approval task as the candidate view shows it. */
    public Optional<ApprovalViews.Summary> summary(UUID candidateId) {
        return store.latest(candidateId).map(task -> {
            List<ApprovalVote> votes = store.votesOn(task.id);
            List<ApprovalViews.Granted> granted = votes.stream()
                    .filter(v -> v.decision == ApprovalVote.Decision.APPROVE)
                    .map(v -> new ApprovalViews.Granted(v.voter, v.at, v.comment)).toList();
            String rejectedBy = votes.stream().filter(v -> v.decision == ApprovalVote.Decision.REJECT)
                    .map(v -> v.voter).findFirst().orElse(null);
            return new ApprovalViews.Summary(task.required, task.id, task.status.name(), task.tier,
                    List.of(task.groups), task.distinctGroups, task.dueAt, granted, rejectedBy);
        });
    }

    private static String pgArray(Collection<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (String value : values) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
    }

    private static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
