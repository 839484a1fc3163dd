package io.charon.jobs.template;

import io.charon.jobs.persistence.Versioned;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A template at its current version. Every change makes a new version, kept as a
 * {@link TemplateVersion}; the jobs launched from it record the version they were made from.
 */
@Entity
@Table(name = "templates")
public class Template extends Versioned {

    @Convert(converter = TemplateColumns.class)
    @Column(nullable = false)
    TemplateDefinition definition;

    protected Template() {
    }

    /** A new template at version 1. */
    Template(TemplateDefinition definition, String by, Instant now) {
        super(definition.name(), by, now);
        this.definition = definition;
    }

    /** This version, to be stored beside the template. */
    TemplateVersion currentVersion() {
        return new TemplateVersion(name, version, definition, updatedAt, updatedBy);
    }

    /** Replaces the definition, making the next version; returns it to store. */
    TemplateVersion replace(TemplateDefinition definition, String by, Instant now) {
        nextVersion(by, now);
        this.definition = definition;
        return currentVersion();
    }

    /** Whether {@code userId} may see and launch it: admins, and the allowed users (every operator when none are named). */
    public boolean launchableBy(String userId, boolean admin) {
        return admin || definition.allowedUsers().isEmpty() || definition.allowedUsers().contains(userId);
    }

    public TemplateDefinition definition() {
        return definition;
    }
}
