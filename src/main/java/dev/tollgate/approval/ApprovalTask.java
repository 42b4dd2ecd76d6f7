package dev.tollgate.approval;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One approval step of a promotion: it collects votes until its quorum is met or someone rejects.
 * Tollgate keeps it in its own table (not KIE's) so that votes are serialized by a row lock,
 * separation of duties is enforced in one place, and the inbox can be paged with an index.
 */
@Entity
@Table(name = "approval_task")
public class ApprovalTask {

    /** RESET: new evidence arrived after votes were cast; a new task with the same quorum and due time replaced it. */
    public enum Status { OPEN, APPROVED, REJECTED, EXPIRED, CANCELLED, RESET }

    @Id
    public UUID id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    @Column(name = "submitted_by")
    public String submittedBy;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "candidate_groups", columnDefinition = "text[]")
    public String[] groups;

    public int required;

    /** Approvals must come from different groups (each voter counts for one group they hold). */
    @Column(name = "distinct_groups")
    public boolean distinctGroups;

    /** The risk tier that set the quorum. */
    public String tier;

    @Column(name = "due_at")
    public Instant dueAt;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** Set on a re-evaluation's "keep or roll back" task; null on a promotion's approval task. */
    @Column(name = "reevaluation_id")
    public UUID reevaluationId;

    /** The process instance whose user task this task completes (null on tasks older than re-evaluations). */
    @Column(name = "process_instance_id")
    public String processInstanceId;

    /** Whether this is a re-evaluation's "keep or roll back" decision. */
    public boolean decidesReevaluation() {
        return reevaluationId != null;
    }

    boolean isOpen() {
        return status == Status.OPEN;
    }

    void close(Status outcome, Instant at) {
        status = outcome;
        closedAt = at;
    }
}
