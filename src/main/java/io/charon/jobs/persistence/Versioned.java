package io.charon.jobs.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;

/**
 * Something stored by name whose every change makes a new version (templates, workflows): its
 * name, its version number, and who created it and changed it last, when. What a version holds
 * is the subclass's; each version is kept beside it by the subclass's own table.
 */
@MappedSuperclass
public abstract class Versioned {

    @Id
    protected String name;

    @Column(nullable = false)
    protected int version;

    @Column(name = "created_at", nullable = false)
    protected Instant createdAt;

    @Column(name = "created_by", nullable = false)
    protected String createdBy;

    @Column(name = "updated_at", nullable = false)
    protected Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    protected String updatedBy;

    protected Versioned() {
    }

    /** Version 1, created by {@code by} at {@code now}. */
    protected Versioned(String name, String by, Instant now) {
        this.name = name;
        this.version = 1;
        this.createdAt = now;
        this.createdBy = by;
        this.updatedAt = now;
        this.updatedBy = by;
    }

    /** The next version, made by {@code by} at {@code now}. */
    protected void nextVersion(String by, Instant now) {
        this.version++;
        this.updatedAt = now;
        this.updatedBy = by;
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String updatedBy() {
        return updatedBy;
    }
}
