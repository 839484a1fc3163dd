package io.charon.jobs.schedule;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.AttributeConverter;

import java.util.Map;

/** Column converters of the schedule tables. */
final class ScheduleColumns {

    private ScheduleColumns() {
    }

    /** A launch's parameters as a JSON object. */
    static class Parameters implements AttributeConverter<Map<String, JsonNode>, String> {
        private static final TypeReference<Map<String, JsonNode>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(Map<String, JsonNode> value) {
            return JsonColumns.write(value);
        }

        @Override
        public Map<String, JsonNode> convertToEntityAttribute(String json) {
            return JsonColumns.read(json, TYPE);
        }
    }

    static class OverlapValue implements AttributeConverter<Overlap, String> {
        @Override
        public String convertToDatabaseColumn(Overlap value) {
            return value.wireName();
        }

        @Override
        public Overlap convertToEntityAttribute(String name) {
            return Overlap.fromWireName(name).orElseThrow(() -> new IllegalStateException("unknown overlap: " + name));
        }
    }

    static class MisfireValue implements AttributeConverter<Misfire, String> {
        @Override
        public String convertToDatabaseColumn(Misfire value) {
            return value.wireName();
        }

        @Override
        public Misfire convertToEntityAttribute(String name) {
            return Misfire.fromWireName(name).orElseThrow(() -> new IllegalStateException("unknown misfire: " + name));
        }
    }
}
