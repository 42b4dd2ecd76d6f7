package dev.tollgate.pipeline;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One evaluation suite's report on a candidate, as an evaluator sent it. */
@Entity
@Table(name = "evaluation_report")
public class EvaluationReport {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    public String suite;

    /** The suite's own verdict, when it gives one; false fails the evaluation. */
    public Boolean passed;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Double> metrics;

    @Column(name = "report_uri")
    public String reportUri;

    @Column(name = "reported_by")
    public String reportedBy;

    @Column(name = "reported_at")
    public Instant reportedAt;

    /** Set when the report answers a re-evaluation of the version in production, not its promotion. */
    @Column(name = "reevaluation_id")
    public UUID reevaluationId;

    /** What answered during the evaluation (provider, model, fingerprint), when the evaluator said. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> observed;
}
