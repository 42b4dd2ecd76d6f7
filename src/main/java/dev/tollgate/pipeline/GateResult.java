package dev.tollgate.pipeline;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One gate's verdict on one metric, with the inputs it was given. */
@Entity
@Table(name = "gate_result")
public class GateResult {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    public String gate;

    public String metric;

    /** The candidate's value; null when the metric was missing. */
    public Double value;

    public String operator;

    public Double bound;

    public Double baseline;

    public boolean passed;

    public String detail;

    @Column(name = "evaluated_at")
    public Instant evaluatedAt;
}
