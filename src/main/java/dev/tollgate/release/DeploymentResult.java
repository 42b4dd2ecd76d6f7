package dev.tollgate.release;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A deployer's report on one deployment; stale or duplicate reports are kept with {@code accepted = false}. */
@Entity
@Table(name = "deployment_result")
public class DeploymentResult {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    /** {@code staging} or {@code production}. */
    public String stage;

    /** {@code SUCCEEDED} or {@code FAILED}. */
    public String outcome;

    public String environment;

    public String detail;

    @Column(name = "reported_by")
    public String reportedBy;

    @Column(name = "received_at")
    public Instant receivedAt;

    public boolean accepted;

    public boolean succeeded() {
        return "SUCCEEDED".equals(outcome);
    }
}
