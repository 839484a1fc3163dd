package io.charon.jobs.template;

import com.fasterxml.jackson.core.type.TypeReference;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.AttributeConverter;

/** A template's definition as JSON, in the template tables. */
class TemplateColumns implements AttributeConverter<TemplateDefinition, String> {

    private static final TypeReference<TemplateDefinition> TYPE = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(TemplateDefinition value) {
        return JsonColumns.write(value);
    }

    @Override
    public TemplateDefinition convertToEntityAttribute(String json) {
        return JsonColumns.read(json, TYPE);
    }
}
