package io.charon.jobs.credential;

import io.charon.jobs.job.JobColumns;
import io.charon.jobs.job.SealedSecrets;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/**
 * A stored credential: its clear fields, and its secret fields sealed with the service's key.
 * Nothing of it leaves the service in plain text but to a run's private directory.
 */
@Entity
@Table(name = "credentials")
public class Credential {

    @Id
    String name;

    @Column(nullable = false)
    String kind;

    String username;

    @Column(name = "become_method")
    String becomeMethod;

    /** ssh only: SHA256:... of the public key. */
    String fingerprint;

    @Convert(converter = JobColumns.Secrets.class)
    @Column(nullable = false)
    SealedSecrets secrets;

    @Column(nullable = false)
    String owner;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(nullable = false)
    List<String> users;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    String updatedBy;

    protected Credential() {
    }

    Credential(String name, CredentialKind kind, String owner, Instant now, String by) {
        this.name = name;
        this.kind = kind.wireName();
        this.owner = owner;
        this.createdAt = now;
        this.createdBy = by;
        this.updatedAt = now;
        this.updatedBy = by;
        this.users = List.of();
    }

    public String name() {
        return name;
    }

    public CredentialKind kind() {
        return CredentialKind.fromWireName(kind).orElseThrow();
    }

    public String owner() {
        return owner;
    }

    public List<String> users() {
        return users;
    }

    /** True for its owner, the users it is shared with, and admins. */
    public boolean usableBy(String userId, boolean admin) {
        return admin || owner.equals(userId) || users.contains(userId);
    }

    /** What a run receives: the clear fields and the sealed secrets. */
    public SealedCredential sealed() {
        return new SealedCredential(name, kind(), username, becomeMethod, secrets);
    }
}
