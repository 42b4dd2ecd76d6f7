package dev.tollgate.candidate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One immutable version of a model or a prompt, and where its promotion stands. */
@Entity
@Table(name = "candidate")
public class Candidate {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    public Kind kind;

    public String name;

    public String version;

    public String digest;

    @Column(name = "artifact_uri")
    public String artifactUri;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> prompt;

    public String pipeline;

    @Column(name = "policy_digest")
    public String policyDigest;

    @Enumerated(EnumType.STRING)
    public Stage stage;

    @Column(name = "submitted_by")
    public String submittedBy;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Double> metrics;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels;

    public String description;

    @Column(name = "process_instance_id")
    public String processInstanceId;

    /** The instance of rollback.bpmn putting this candidate back in production, while it runs. */
    @Column(name = "rollback_instance_id")
    public String rollbackInstanceId;

    /** The sequence number of this candidate's last history entry and event. */
    @Column(name = "event_count")
    public int eventCount;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** When the candidate entered its current stage. */
    @Column(name = "stage_entered_at")
    public Instant stageEnteredAt;

    @Version
    @Column(name = "row_version")
    public long rowVersion;

    /** {@code <kind>/<name>}: the Kafka record key, so that one model's events share a partition. */
    public String releaseKey() {
        return kind + "/" + name;
    }

    /** The process instance that currently drives this candidate: a rollback, or its promotion. */
    public String activeProcessInstanceId() {
        return rollbackInstanceId != null ? rollbackInstanceId : processInstanceId;
    }

    /** Moves to the next stage and returns the sequence number of the history entry that records it. */
    int advance(Stage to, Instant at) {
        // RETIRED is terminal for its promotion; only a rollback puts such a version back on the way to production.
        if (stage != null && stage.isTerminal() && !(stage == Stage.RETIRED && to == Stage.DEPLOYING_PRODUCTION)) {
            throw new ProblemException(ProblemType.WRONG_STAGE, "Candidate " + id + " is " + stage
                    + " and cannot move to " + to, List.of(), Map.of("stage", stage.name()));
        }
        if (stage != to) {
            stageEnteredAt = at;
        }
        stage = to;
        updatedAt = at;
        return ++eventCount;
    }

    /** Takes the next sequence number for a decision that leaves the stage as it is. */
    int nextSequence(Instant at) {
        updatedAt = at;
        return ++eventCount;
    }
}
