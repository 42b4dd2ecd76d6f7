package dev.tollgate.candidate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A submission's Idempotency-Key, scoped to the caller, with the hash of the body it came with. */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyRecord.Key.class)
public class IdempotencyRecord {

    @Id
    public String principal;

    @Id
    @Column(name = "idem_key")
    public String idemKey;

    @Column(name = "request_hash")
    public String requestHash;

    @Column(name = "candidate_id")
    public UUID candidateId;

    @Column(name = "created_at")
    public Instant createdAt;

    public static class Key implements Serializable {
        public String principal;
        public String idemKey;

        public Key() {
        }

        public Key(String principal, String idemKey) {
            this.principal = principal;
            this.idemKey = idemKey;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.principal, principal) && Objects.equals(k.idemKey, idemKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(principal, idemKey);
        }
    }
}
