package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.charon.jobs.template.Template;
import io.charon.jobs.template.TemplateDefinition;
import io.charon.jobs.template.TemplateVersion;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * A template as the API shows it, at its current version or at an old one: its definition's
 * fields, as given, beside its version and who made it when ({@code updatedAt}/{@code updatedBy}
 * only for the current version).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateView(
        @Schema(description = "1 when created; each change adds one") int version,
        @JsonUnwrapped TemplateDefinition definition,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {

    static TemplateView of(Template template) {
        return new TemplateView(template.version(), template.definition(), template.createdAt(), template.createdBy(),
                template.updatedAt(), template.updatedBy());
    }

    static TemplateView of(TemplateVersion version) {
        return new TemplateView(version.version(), version.definition(), version.createdAt(), version.createdBy(),
                null, null);
    }
}
