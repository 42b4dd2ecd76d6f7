package dev.tollgate.attestation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A public key Tollgate signed attestations with; kept for ever, so that old attestations still verify after a rotation. */
@Entity
@Table(name = "attestation_key")
public class AttestationKey {

    @Id
    @Column(name = "key_id")
    public String keyId;

    public String algorithm;

    @Column(name = "public_key")
    public String publicKey;

    @Column(name = "first_used_at")
    public Instant firstUsedAt;
}
