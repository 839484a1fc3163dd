package io.charon.jobs.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.hibernate.annotations.Immutable;

import java.util.List;
import java.util.Map;

/**
 * JSON text columns, and the JSON that the domain's own converters write. Lists and maps of a job
 * are read and written whole with the job, so a JSON column is simpler than a child table; what
 * must be queried (tags, dependencies) has its own indexed table besides. This package depends on
 * no other package of the service. The values are never changed in place (a job replaces them
 * whole), so the converters are {@link Immutable}: Hibernate compares them by equality instead
 * of snapshotting each one through JSON at load and again at every flush.
 */
public final class JsonColumns {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonColumns() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON column", e);
        }
    }

    public static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a JSON column", e);
        }
    }

    @Converter
    @Immutable
    public static class StringList implements AttributeConverter<List<String>, String> {
        private static final TypeReference<List<String>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(List<String> value) {
            return write(value == null ? List.of() : value);
        }

        @Override
        public List<String> convertToEntityAttribute(String json) {
            return json == null ? List.of() : List.copyOf(read(json, TYPE));
        }
    }

    @Converter
    @Immutable
    public static class StringMap implements AttributeConverter<Map<String, String>, String> {
        private static final TypeReference<Map<String, String>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(Map<String, String> value) {
            return write(value == null ? Map.of() : value);
        }

        @Override
        public Map<String, String> convertToEntityAttribute(String json) {
            return json == null ? Map.of() : read(json, TYPE);
        }
    }

    /** Durations as whole milliseconds. */
    @Converter
    public static class Millis implements AttributeConverter<java.time.Duration, Long> {
        @Override
        public Long convertToDatabaseColumn(java.time.Duration value) {
            return value == null ? null : value.toMillis();
        }

        @Override
        public java.time.Duration convertToEntityAttribute(Long millis) {
            return millis == null ? null : java.time.Duration.ofMillis(millis);
        }
    }
}
