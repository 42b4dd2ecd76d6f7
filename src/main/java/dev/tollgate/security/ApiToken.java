package dev.tollgate.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An API token as stored: the secret itself is never kept, only its SHA-256. */
@Entity
@Table(name = "api_token")
public class ApiToken {

    @Id
    public UUID id;

    public String name;

    /** The principal the token acts as: every request made with it is attributed to this name. */
    public String owner;

    @Column(columnDefinition = "text[]")
    public String[] roles;

    @Column(name = "secret_hash")
    public String secretHash;

    public String hint;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    public String status(Instant now) {
        if (revokedAt != null) {
            return "REVOKED";
        }
        return now.isBefore(expiresAt) ? "ACTIVE" : "EXPIRED";
    }
}
