package dev.tollgate.attestation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A DSSE envelope Tollgate signed about a candidate's promotion. */
@Entity
@Table(name = "attestation")
public class Attestation {

    /** When it was signed: at the production deployment request (for the deployers), or once the version serves. */
    public enum Purpose { DEPLOY, PROMOTION }

    @Id
    public UUID id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    @Enumerated(EnumType.STRING)
    public Purpose purpose;

    @Column(name = "key_id")
    public String keyId;

    /** The envelope as JSON text, exactly as signed and served. */
    public String envelope;

    /** {@code sha256:} of the payload, the in-toto statement's bytes. */
    @Column(name = "payload_digest")
    public String payloadDigest;

    @Column(name = "created_at")
    public Instant createdAt;
}
