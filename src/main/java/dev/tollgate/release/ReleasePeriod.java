package dev.tollgate.release;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A span of time during which one version served (kind, name) in one environment. */
@Entity
@Table(name = "release_period")
public class ReleasePeriod {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String kind;

    public String name;

    public String environment;

    @Column(name = "candidate_id")
    public UUID candidateId;

    public String version;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;
}
