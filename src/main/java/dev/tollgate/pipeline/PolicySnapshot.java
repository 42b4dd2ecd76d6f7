package dev.tollgate.pipeline;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The exact bytes of a policy as it was when a candidate pinned it, keyed by their digest. */
@Entity
@Table(name = "policy_snapshot")
public class PolicySnapshot {

    @Id
    public String digest;

    public String pipeline;

    public String content;

    @Column(name = "first_seen")
    public Instant firstSeen;
}
