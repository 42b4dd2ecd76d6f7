package dev.tollgate.freeze;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An approved candidate whose production deployment waits: for a window to open, or for the line to restart. */
@Entity
@Table(name = "production_hold")
public class ProductionHold {

    /** How a hold ended: its deployment was requested, a newer version of its name went instead, or it was cancelled. */
    public enum Outcome { RELEASED, SUPERSEDED, CANCELLED }

    @Id
    @Column(name = "candidate_id")
    public UUID candidateId;

    public String reason;

    @Column(name = "held_at")
    public Instant heldAt;

    /** When it is looked at again; null while only a restart of the line can release it. */
    public Instant until;

    @Column(name = "released_at")
    public Instant releasedAt;

    @Enumerated(EnumType.STRING)
    public Outcome outcome;

    public boolean waiting() {
        return releasedAt == null;
    }
}
