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
        EVALUATION_TIMEOUT, STAGING_TIMEOUT, APPROVAL_REMINDER, APPROVAL_TIMEOUT, PRODUCTION_TIMEOUT
    }

    @Id
    public UUID id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    @Enumerated(EnumType.STRING)
    public Purpose purpose;

    /** The approval task, for approval timers. */
    @Column(name = "subject_id")
    public UUID subjectId;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "fired_at")
    public Instant firedAt;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;
}
