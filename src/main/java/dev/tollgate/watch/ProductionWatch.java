package dev.tollgate.watch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * A version in production as Tollgate watches it: for a prompt, the model snapshot it was evaluated with (pinned)
 * and the one its provider was last seen answering with; for every version, its verification window.
 */
@Entity
@Table(name = "production_watch")
public class ProductionWatch {

    /** Where the pinned snapshot comes from. */
    public enum PinnedFrom {
        /** An evaluator reported what answered during the evaluation. */
        EVALUATION,
        /** Only the model the prompt asks for is known (a dated snapshot names itself). */
        SUBMISSION,
        /** The first observation after the release, for want of anything better. */
        FIRST_OBSERVATION,
        /** A re-evaluation passed (or people kept the version) with the provider's new snapshot. */
        REEVALUATION
    }

    public enum VerificationStatus { RUNNING, PASSED, FAILED, ENDED }

    @Id
    @Column(name = "candidate_id")
    public UUID candidateId;

    public String kind;

    public String name;

    @Column(name = "pinned_provider")
    public String pinnedProvider;

    @Column(name = "pinned_model")
    public String pinnedModel;

    @Column(name = "pinned_fingerprint")
    public String pinnedFingerprint;

    @Enumerated(EnumType.STRING)
    @Column(name = "pinned_from")
    public PinnedFrom pinnedFrom;

    @Column(name = "pinned_at")
    public Instant pinnedAt;

    @Column(name = "observed_provider")
    public String observedProvider;

    @Column(name = "observed_model")
    public String observedModel;

    @Column(name = "observed_fingerprint")
    public String observedFingerprint;

    @Column(name = "observed_at")
    public Instant observedAt;

    public int observations;

    @Column(name = "verification_from")
    public Instant verificationFrom;

    @Column(name = "verification_until")
    public Instant verificationUntil;

    @Enumerated(EnumType.STRING)
    @Column(name = "verification_status")
    public VerificationStatus verificationStatus;

    @Column(name = "created_at")
    public Instant createdAt;

    @Version
    @Column(name = "row_version")
    public long rowVersion;

    public boolean verifying() {
        return verificationStatus == VerificationStatus.RUNNING;
    }
}
