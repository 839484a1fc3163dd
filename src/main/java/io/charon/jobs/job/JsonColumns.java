package io.charon.jobs.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.execution.HostStats;
import io.charon.jobs.security.SealedSecrets;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.hibernate.annotations.Immutable;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * JSON text columns. Lists and maps of a job are read and written whole with the job, so a
 * JSON column is simpler than a child table; what must be queried (tags, dependencies) has
 * its own indexed table besides. The values are never changed in place (a job replaces them
 * whole), so the converters are {@link Immutable}: Hibernate compares them by equality instead
 * of snapshotting each one through JSON at load and again at every flush.
 */
public final class JsonColumns {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonColumns() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON column", e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) {
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

    @Converter
    @Immutable
    public static class HostStatsMap implements AttributeConverter<SortedMap<String, HostStats>, String> {
        private static final TypeReference<SortedMap<String, HostStats>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(SortedMap<String, HostStats> value) {
            return value == null ? null : write(value);
        }

        @Override
        public SortedMap<String, HostStats> convertToEntityAttribute(String json) {
            return json == null ? null : read(json, TYPE);
        }
    }

    /** Sealed secret variables: names, digest and ciphertext, never plain text. */
    @Converter
    @Immutable
    public static class Secrets implements AttributeConverter<SealedSecrets, String> {
        private static final TypeReference<Map<String, Object>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(SealedSecrets value) {
            return value == null ? null : write(Map.of("names", value.names(), "digest", value.digest(),
                    "sealed", value.ciphertext()));
        }

        @Override
        @SuppressWarnings("unchecked")
        public SealedSecrets convertToEntityAttribute(String json) {
            if (json == null) {
                return null;
            }
            Map<String, Object> fields = read(json, TYPE);
            return new SealedSecrets((List<String>) fields.get("names"), (String) fields.get("digest"),
                    (String) fields.get("sealed"));
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

    @Converter
    public static class Status implements AttributeConverter<JobStatus, String> {
        @Override
        public String convertToDatabaseColumn(JobStatus value) {
            return value.wireName();
        }

        @Override
        public JobStatus convertToEntityAttribute(String text) {
            return JobStatus.fromWireName(text).orElseThrow();
        }
    }

    @Converter
    public static class Type implements AttributeConverter<JobType, String> {
        @Override
        public String convertToDatabaseColumn(JobType value) {
            return value.wireName();
        }

        @Override
        public JobType convertToEntityAttribute(String text) {
            return JobType.fromWireName(text).orElseThrow();
        }
    }

    @Converter
    public static class PriorityValue implements AttributeConverter<Priority, Integer> {
        @Override
        public Integer convertToDatabaseColumn(Priority value) {
            return value.value();
        }

        @Override
        public Priority convertToEntityAttribute(Integer value) {
            return Priority.ofValue(value);
        }
    }
}
