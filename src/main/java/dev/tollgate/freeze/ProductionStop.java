package dev.tollgate.freeze;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One time the line was stopped: every production deployment request halted, from its start until its end. */
@Entity
@Table(name = "production_stop")
public class ProductionStop {

    @Id
    public UUID id;

    public String reason;

    @Column(name = "started_by")
    public String startedBy;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "ended_by")
    public String endedBy;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "end_reason")
    public String endReason;
}
