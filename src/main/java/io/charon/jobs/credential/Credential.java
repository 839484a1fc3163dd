package io.charon.jobs.credential;

import io.charon.jobs.job.JobColumns;
import io.charon.jobs.job.SealedSecrets;
import io.charon.jobs.security.Ownership;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
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

    String description;

    @Embedded
    Ownership ownership;

    protected Credential() {
    }

    Credential(String name, CredentialKind kind, String owner, Instant now, String by) {
        this.name = name;
        this.kind = kind.wireName();
        this.ownership = new Ownership(owner, List.of(), now, by, now, by);
    }

    /** Replaces every field that a request sets, and records who changed it when. */
    void replace(String username, String becomeMethod, String fingerprint, String description, List<String> users,
                 SealedSecrets secrets, Instant now, String by) {
        this.username = username;
        this.becomeMethod = becomeMethod;
        this.fingerprint = fingerprint;
        this.description = description;
        this.secrets = secrets;
        this.ownership = ownership.changed(users, now, by);
    }

    /** Whose it is, who else may use it, who created and last changed it. */
    public Ownership ownership() {
        return ownership;
    }

    public String name() {
        return name;
    }

    /** ssh: the remote user; become: the user to become, or null for the method's default. */
    public String username() {
        return username;
    }

    /** become only: sudo, su, ... */
    public String becomeMethod() {
        return becomeMethod;
    }

    /** ssh only: {@code SHA256:...} of the public key. */
    public String fingerprint() {
        return fingerprint;
    }

    public String description() {
        return description;
    }

    /** The names of the secret fields it holds (never their values). */
    public List<String> secretNames() {
        return secrets == null ? List.of() : secrets.names();
    }

    public CredentialKind kind() {
        return CredentialKind.fromWireName(kind).orElseThrow();
    }

    /** What a run receives: the clear fields and the sealed secrets. */
    public SealedCredential sealed() {
        return new SealedCredential(name, kind(), username, becomeMethod, secrets);
    }
}
