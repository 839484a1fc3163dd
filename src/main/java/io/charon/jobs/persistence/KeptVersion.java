package io.charon.jobs.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.MappedSuperclass;

import java.io.Serializable;
import java.time.Instant;

/**
 * One version of something {@link Versioned}, kept unchanged beside it: its name, its number, and
 * who made it, when. What the version holds (a definition, a document) is the subclass's.
 */
@MappedSuperclass
public abstract class KeptVersion {

    /** A name and a version number. */
    @Embeddable
    public record Key(@Column(nullable = false) String name, @Column(nullable = false) int version)
            implements Serializable {
    }

    @EmbeddedId
    protected Key key;

    @Column(name = "created_at", nullable = false)
    protected Instant createdAt;

    @Column(name = "created_by", nullable = false)
    protected String createdBy;

    protected KeptVersion() {
    }

    protected KeptVersion(String name, int version, Instant createdAt, String createdBy) {
        this.key = new Key(name, version);
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    public String name() {
        return key.name();
    }

    public int version() {
        return key.version();
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }
}
