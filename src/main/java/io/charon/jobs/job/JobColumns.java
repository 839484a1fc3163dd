package io.charon.jobs.job;

import com.fasterxml.jackson.core.type.TypeReference;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.hibernate.annotations.Immutable;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * The columns of the domain's own types: statuses, types, priorities and retry scopes by their wire
 * names and values, host statistics, retry kinds and sealed secrets as JSON ({@link JsonColumns}).
 */
public final class JobColumns {

    private JobColumns() {
    }

    @Converter
    @Immutable
    public static class HostStatsMap implements AttributeConverter<SortedMap<String, HostStats>, String> {
        private static final TypeReference<SortedMap<String, HostStats>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(SortedMap<String, HostStats> value) {
            return value == null ? null : JsonColumns.write(value);
        }

        @Override
        public SortedMap<String, HostStats> convertToEntityAttribute(String json) {
            return json == null ? null : JsonColumns.read(json, TYPE);
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
            return value == null ? null : JsonColumns.write(Map.of("names", value.names(), "digest", value.digest(),
                    "sealed", value.ciphertext()));
        }

        @Override
        @SuppressWarnings("unchecked")
        public SealedSecrets convertToEntityAttribute(String json) {
            if (json == null) {
                return null;
            }
            Map<String, Object> fields = JsonColumns.read(json, TYPE);
            return new SealedSecrets((List<String>) fields.get("names"), (String) fields.get("digest"),
                    (String) fields.get("sealed"));
        }
    }

    /** An enum stored by its wire name: what the API shows is what the column holds. */
    abstract static class WireName<E> implements AttributeConverter<E, String> {
        private final Function<E, String> name;
        private final Function<String, Optional<E>> parse;

        WireName(Function<E, String> name, Function<String, Optional<E>> parse) {
            this.name = name;
            this.parse = parse;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return name.apply(value);
        }

        @Override
        public E convertToEntityAttribute(String text) {
            return parse.apply(text).orElseThrow();
        }
    }

    @Converter
    public static class Status extends WireName<JobStatus> {
        public Status() {
            super(JobStatus::wireName, JobStatus::fromWireName);
        }
    }

    @Converter
    public static class Type extends WireName<JobType> {
        public Type() {
            super(JobType::wireName, JobType::fromWireName);
        }
    }

    @Converter
    public static class HostLockValue extends WireName<HostLock> {
        public HostLockValue() {
            super(HostLock::wireName, HostLock::fromWireName);
        }
    }

    @Converter
    public static class Mode extends WireName<JobMode> {
        public Mode() {
            super(JobMode::wireName, JobMode::fromWireName);
        }
    }

    /** A job's artifacts, a JSON object; null when it published none. */
    @Converter
    @Immutable
    public static class Artifacts implements AttributeConverter<Map<String, Object>, String> {
        private static final TypeReference<Map<String, Object>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(Map<String, Object> value) {
            return value == null || value.isEmpty() ? null : JsonColumns.write(value);
        }

        @Override
        public Map<String, Object> convertToEntityAttribute(String json) {
            return json == null ? Map.of() : JsonColumns.read(json, TYPE);
        }
    }

    @Converter
    @Immutable
    public static class Diff implements AttributeConverter<RunDiff, String> {
        private static final TypeReference<RunDiff> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(RunDiff value) {
            return JsonColumns.write(value == null ? RunDiff.NONE : value);
        }

        @Override
        public RunDiff convertToEntityAttribute(String json) {
            return json == null ? RunDiff.NONE : JsonColumns.read(json, TYPE);
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

    @Converter
    public static class RetryScopeValue extends WireName<RetryScope> {
        public RetryScopeValue() {
            super(RetryScope::wireName, RetryScope::fromWireName);
        }
    }

    /** The kinds of failed run a job is retried after, as a JSON array of their wire names. */
    @Converter
    @Immutable
    public static class RetryKinds implements AttributeConverter<Set<RetryOn>, String> {
        private static final TypeReference<List<String>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(Set<RetryOn> value) {
            return JsonColumns.write(value.stream().map(RetryOn::wireName).toList());
        }

        @Override
        public Set<RetryOn> convertToEntityAttribute(String json) {
            return RetryOn.setOf(JsonColumns.read(json, TYPE).stream()
                    .map(name -> RetryOn.fromWireName(name).orElseThrow()).toList());
        }
    }
}
