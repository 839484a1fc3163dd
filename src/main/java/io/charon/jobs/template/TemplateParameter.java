package io.charon.jobs.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.List;

/**
 * One parameter of a template: the variable a launch sets, its type (see {@link ParameterType}),
 * whether a launch must give it, its default, and the rules its value keeps: {@code choices} for
 * choice and multichoice; {@code min}/{@code max} bound an integer's or number's value, a string's
 * or secret's length and how many choices a multichoice picks; {@code pattern} (a Java regular
 * expression the whole value matches) for strings and secrets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateParameter(
        String name,
        String type,
        Boolean required,
        @JsonProperty("default") JsonNode defaultValue,
        List<String> choices,
        BigDecimal min,
        BigDecimal max,
        String pattern,
        String description) {

    /** Whether its value is a secret: kept sealed on the job, never shown. Not a field of its own. */
    @JsonIgnore
    public boolean isSecret() {
        return type != null && ParameterType.fromWireName(type).filter(ParameterType.SECRET::equals).isPresent();
    }

    boolean isRequired() {
        return Boolean.TRUE.equals(required);
    }
}
