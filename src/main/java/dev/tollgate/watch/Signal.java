package dev.tollgate.watch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A signal a monitor sent about a model or prompt, and what Tollgate made of it. One row per signal id. */
@Entity
@Table(name = "signal")
public class Signal {

    public enum Type { DRIFT, PROVIDER }

    /** An alert fires and later resolves; every other signal is FIRING. */
    public enum Status { FIRING, RESOLVED }

    /** What the signal led to. */
    public enum Outcome {
        /** It started a re-evaluation of the version in production. */
        REEVALUATION_STARTED,
        /** A re-evaluation was already under way: the signal is counted in it. */
        MERGED,
        /** Inside the verification window, beyond its bound: the release failed its verification. */
        VERIFICATION_FAILED,
        /** The first observation of a production prompt whose evaluation did not say what answered: now pinned. */
        BASELINE_RECORDED,
        /** The provider answers with the model and fingerprint the version was evaluated with. */
        NO_CHANGE,
        /** The drift metric is within its bound. */
        WITHIN_BOUNDS,
        /** A change, but the pipeline's policy does not re-evaluate on it (no reevaluation section, or the trigger is off). */
        NOT_WATCHED,
        /** Nothing of this kind and name is in production. */
        NOTHING_IN_PRODUCTION,
        /** A rollback of this name is under way: the version the signal is about is leaving production. */
        ROLLBACK_UNDER_WAY,
        /** A resolved alert: recorded beside the alert it closes. */
        RESOLVED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "signal_id")
    public String signalId;

    @Column(name = "content_hash")
    public String contentHash;

    @Enumerated(EnumType.STRING)
    public Type type;

    @Enumerated(EnumType.STRING)
    public Status status;

    public String kind;

    public String name;

    public String metric;

    public Double value;

    public Double threshold;

    public String provider;

    public String model;

    @Column(name = "model_fingerprint")
    public String modelFingerprint;

    @Column(name = "alert_key")
    public String alertKey;

    public String source;

    @Column(name = "observed_at")
    public Instant observedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> data;

    @Column(name = "received_by")
    public String receivedBy;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "candidate_id")
    public UUID candidateId;

    @Column(name = "reevaluation_id")
    public UUID reevaluationId;

    @Enumerated(EnumType.STRING)
    public Outcome outcome;

    public String detail;
}
