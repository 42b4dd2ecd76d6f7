package dev.tollgate.freeze;

import dev.tollgate.candidate.Kind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A window during which production deployments are refused ({@code DENY}) or the only time they are allowed
 * ({@code ALLOW}), for every pipeline and name, one pipeline, or one name. Once ({@code startsAt} to
 * {@code endsAt}) or recurring ({@code cron}, each occurrence lasting {@code durationSeconds}, in {@code timeZone}).
 * Deleting one keeps its row (and its audit entries) with {@code deletedAt} set.
 */
@Entity
@Table(name = "freeze_window")
public class FreezeWindow {

    public enum Effect { DENY, ALLOW }

    @Id
    public UUID id;

    public String name;

    @Enumerated(EnumType.STRING)
    public Effect effect;

    public String pipeline;

    @Enumerated(EnumType.STRING)
    public Kind kind;

    @Column(name = "subject_name")
    public String subjectName;

    @Column(name = "starts_at")
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    public String cron;

    @Column(name = "duration_seconds")
    public Long durationSeconds;

    @Column(name = "time_zone")
    public String timeZone;

    public String reason;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "deleted_by")
    public String deletedBy;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** Whether it covers a candidate of this kind and name on this pipeline. */
    public boolean covers(Kind candidateKind, String candidateName, String candidatePipeline) {
        if (pipeline != null) {
            return pipeline.equals(candidatePipeline);
        }
        if (kind != null) {
            return kind == candidateKind && subjectName.equals(candidateName);
        }
        return true;
    }

    /** What it covers, in words. */
    public String scope() {
        if (pipeline != null) {
            return "pipeline " + pipeline;
        }
        return kind != null ? kind + " " + subjectName : "every pipeline";
    }
}
