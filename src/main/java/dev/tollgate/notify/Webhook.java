package dev.tollgate.notify;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Where an admin wants events sent: a URL, the events, the pipelines, the HMAC key and the body's format. */
@Entity
@Table(name = "webhook")
public class Webhook {

    /** The body: the CloudEvent as JSON ({@code JSON}), or a Slack incoming-webhook message ({@code SLACK}). */
    public enum Format { JSON, SLACK }

    @Id
    public UUID id;

    public String name;

    public String url;

    public String secret;

    @Enumerated(EnumType.STRING)
    public Format format;

    /** CloudEvent types; one ending in {@code *} takes every type it starts with. */
    @Column(name = "event_types")
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> eventTypes;

    /** Promotion events of these pipelines only; empty: of every pipeline. Governance events have no pipeline. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> pipelines;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "deleted_by")
    public String deletedBy;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** Whether an event of {@code type}, about {@code pipeline} (null for none), goes to this webhook. */
    public boolean wants(String type, String pipeline) {
        boolean typed = eventTypes.stream().anyMatch(t -> t.endsWith("*") ? type.startsWith(t.substring(0, t.length() - 1))
                : t.equals(type));
        return typed && (pipelines.isEmpty() || (pipeline != null && pipelines.contains(pipeline)));
    }
}
