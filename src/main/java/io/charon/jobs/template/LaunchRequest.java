package io.charon.jobs.template;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A launch of a template: the parameters' values by name, and optionally the job's priority, when
 * it runs, its tags (instead of the template's), its limit (instead of the template's) and its
 * {@code mode} ({@code run} or {@code check}).
 */
public record LaunchRequest(Map<String, JsonNode> parameters, JsonNode priority, String scheduledAt,
                            List<String> tags, String limit, String mode) {

    /** A launch that gives nothing: the template's own values and defaults. */
    public static final LaunchRequest NONE = new LaunchRequest(Map.of(), null, null, null, null, null);

    public LaunchRequest {
        parameters = parameters == null ? Map.of() : parameters;
    }
}
