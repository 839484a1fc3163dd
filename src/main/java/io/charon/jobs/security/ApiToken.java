package io.charon.jobs.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A stored API token: its SHA-256 only, never its text. */
@Entity
@Table(name = "api_tokens")
public class ApiToken {

    @Id
    String id;

    @Column(name = "token_hash", nullable = false)
    String tokenHash;

    @Column(name = "user_id", nullable = false)
    String userId;

    @Column(nullable = false)
    String role;

    String description;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "expires_at")
    Instant expiresAt;

    @Column(name = "revoked_at")
    Instant revokedAt;

    @Column(name = "revoked_by")
    String revokedBy;

    protected ApiToken() {
    }

    ApiToken(String id, String tokenHash, String userId, Role role, String description, Instant createdAt,
             String createdBy, Instant expiresAt) {
        this.id = id;
        this.tokenHash = tokenHash;
        this.userId = userId;
        this.role = role.wireName();
        this.description = description;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.expiresAt = expiresAt;
    }

    /** Marks the token revoked; a method of the entity, so that Hibernate sees the change. */
    void revoke(Instant at, String by) {
        revokedAt = at;
        revokedBy = by;
    }

    boolean isValidAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
