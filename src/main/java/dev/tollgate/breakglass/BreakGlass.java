package dev.tollgate.breakglass;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One emergency promotion: who broke the glass, why, what it went past, and the review that must follow. */
@Entity
@Table(name = "break_glass")
public class BreakGlass {

    /** How the reviewer found it. */
    public enum Outcome { ACCEPTED, CONCERNS }

    @Id
    public UUID id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    public String actor;

    public String reason;

    /** What it went past: QUORUM (the approval task), FREEZE (a window, the line, a newer held version). */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> bypassed;

    public Instant at;

    @Column(name = "review_due_at")
    public Instant reviewDueAt;

    @Column(name = "reviewed_by")
    public String reviewedBy;

    @Column(name = "reviewed_at")
    public Instant reviewedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "review_outcome")
    public Outcome reviewOutcome;

    @Column(name = "review_comment")
    public String reviewComment;

    @Column(name = "escalated_at")
    public Instant escalatedAt;

    public boolean reviewed() {
        return reviewedAt != null;
    }
}
