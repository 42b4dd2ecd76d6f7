package dev.tollgate.pipeline;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The risk decision for a candidate, with the facts it was given. */
@Entity
@Table(name = "risk_assessment")
public class RiskAssessment {

    @Id
    @Column(name = "candidate_id")
    public UUID candidateId;

    @Enumerated(EnumType.STRING)
    public RiskTier tier;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> reasons;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> inputs;

    @Column(name = "assessed_at")
    public Instant assessedAt;
}
