package dev.tollgate.workflow;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A durable timer: KIE 10.1 keeps its own timers in memory, so Tollgate keeps them in PostgreSQL. */
@Entity
@Table(name = "scheduled_timer")
public class ScheduledTimer {

    public enum Purpose {
        EVALUATION_TIMEOUT, STAGING_TIMEOUT, APPROVAL_REMINDER, APPROVAL_TIMEOUT, PRODUCTION_TIMEOUT,
        /** A re-evaluation's suites must have reported (subject: the re-evaluation). */
        REEVALUATION_TIMEOUT,
        /** The policy's schedule of re-evaluations of the version in production ({@code reevaluation.every}). */
        REEVALUATION_SCHEDULE,
        /** The end of the verification window after a release. */
        VERIFICATION_END,
        /** Time to look again at a held production deployment: its window ended, or the line restarted. */
        PRODUCTION_HOLD,
        /** The end of the soak time in staging ({@code staging.soak}). */
        SOAK_END,
        /** A break-glass's review deadline (subject: the break-glass): escalated when nobody reviewed it. */
        BREAK_GLASS_REVIEW
    }

    @Id
    public UUID id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    @Enumerated(EnumType.STRING)
    public Purpose purpose;

    /** The approval task, for approval timers; the re-evaluation, for its timeout. */
    @Column(name = "subject_id")
    public UUID subjectId;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "fired_at")
    public Instant firedAt;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;
}
