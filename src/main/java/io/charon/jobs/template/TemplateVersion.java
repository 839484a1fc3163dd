package io.charon.jobs.template;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** One version of a template, kept unchanged: what the jobs that recorded it were launched from. */
@Entity
@Table(name = "template_versions")
public class TemplateVersion {

    /** A template's name and version number. */
    @Embeddable
    public record Key(@Column(nullable = false) String name, @Column(nullable = false) int version)
            implements Serializable {
    }

    @EmbeddedId
    Key key;

    @Convert(converter = TemplateColumns.class)
    @Column(nullable = false)
    TemplateDefinition definition;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    protected TemplateVersion() {
    }

    TemplateVersion(String name, int version, TemplateDefinition definition, Instant createdAt, String createdBy) {
        this.key = new Key(name, version);
        this.definition = definition;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    public String name() {
        return key.name();
    }

    public int version() {
        return key.version();
    }

    public TemplateDefinition definition() {
        return definition;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }
}
