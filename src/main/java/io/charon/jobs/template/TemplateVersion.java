package io.charon.jobs.template;

import io.charon.jobs.persistence.KeptVersion;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/** One version of a template, kept unchanged: what the jobs that recorded it were launched from. */
@Entity
@Table(name = "template_versions")
public class TemplateVersion extends KeptVersion {

    @Convert(converter = TemplateColumns.class)
    @Column(nullable = false)
    TemplateDefinition definition;

    protected TemplateVersion() {
    }

    TemplateVersion(String name, int version, TemplateDefinition definition, Instant createdAt, String createdBy) {
        super(name, version, createdAt, createdBy);
        this.definition = definition;
    }

    public TemplateDefinition definition() {
        return definition;
    }
}
