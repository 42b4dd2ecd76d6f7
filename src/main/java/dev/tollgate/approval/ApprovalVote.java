package dev.tollgate.approval;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One person's vote on one approval task; the key makes a second vote by the same person impossible. */
@Entity
@Table(name = "approval_vote")
@IdClass(ApprovalVote.Key.class)
public class ApprovalVote {

    /**
     * A promotion's task takes APPROVE or REJECT; a re-evaluation's takes KEEP (counts toward the quorum, like an
     * approval) or ROLL_BACK (one is enough, like a rejection).
     */
    public enum Decision {
        APPROVE, REJECT, KEEP, ROLL_BACK;

        /** Counts toward the quorum. */
        public boolean isAssent() {
            return this == APPROVE || this == KEEP;
        }

        boolean fits(ApprovalTask task) {
            return task.decidesReevaluation() == (this == KEEP || this == ROLL_BACK);
        }
    }

    @Id
    @Column(name = "task_id")
    public UUID taskId;

    @Id
    public String voter;

    @Enumerated(EnumType.STRING)
    public Decision decision;

    public String comment;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "voter_roles", columnDefinition = "text[]")
    public String[] voterRoles;

    public Instant at;

    public static class Key implements Serializable {
        public UUID taskId;
        public String voter;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.taskId, taskId) && Objects.equals(k.voter, voter);
        }

        @Override
        public int hashCode() {
            return Objects.hash(taskId, voter);
        }
    }
}
