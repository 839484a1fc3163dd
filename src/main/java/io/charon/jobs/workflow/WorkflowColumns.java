package io.charon.jobs.workflow;

import com.fasterxml.jackson.core.type.TypeReference;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.AttributeConverter;

import java.util.List;
import java.util.Map;

/**
 * A workflow's definition, a run's template versions, edge outcomes and resumes, and a node's
 * decision and earlier attempts, as JSON.
 */
final class WorkflowColumns {

    private WorkflowColumns() {
    }

    static class Definition implements AttributeConverter<WorkflowDefinition, String> {

        private static final TypeReference<WorkflowDefinition> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(WorkflowDefinition value) {
            return JsonColumns.write(value);
        }

        @Override
        public WorkflowDefinition convertToEntityAttribute(String json) {
            return JsonColumns.read(json, TYPE);
        }
    }

    static class TemplateVersions implements AttributeConverter<Map<String, Integer>, String> {

        private static final TypeReference<Map<String, Integer>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(Map<String, Integer> value) {
            return JsonColumns.write(value);
        }

        @Override
        public Map<String, Integer> convertToEntityAttribute(String json) {
            return Map.copyOf(JsonColumns.read(json, TYPE));
        }
    }

    static class EdgeOutcomes implements AttributeConverter<List<EdgeOutcome>, String> {

        private static final TypeReference<List<EdgeOutcome>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(List<EdgeOutcome> value) {
            return JsonColumns.write(value);
        }

        @Override
        public List<EdgeOutcome> convertToEntityAttribute(String json) {
            return List.copyOf(JsonColumns.read(json, TYPE));
        }
    }

    static class Decisions implements AttributeConverter<Decision, String> {

        private static final TypeReference<Decision> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(Decision value) {
            return value == null ? null : JsonColumns.write(value);
        }

        @Override
        public Decision convertToEntityAttribute(String json) {
            return json == null ? null : JsonColumns.read(json, TYPE);
        }
    }

    static class NodeAttempts implements AttributeConverter<List<NodeAttempt>, String> {

        private static final TypeReference<List<NodeAttempt>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(List<NodeAttempt> value) {
            return value == null || value.isEmpty() ? null : JsonColumns.write(value);
        }

        @Override
        public List<NodeAttempt> convertToEntityAttribute(String json) {
            return json == null ? List.of() : List.copyOf(JsonColumns.read(json, TYPE));
        }
    }

    static class Resumes implements AttributeConverter<List<Resume>, String> {

        private static final TypeReference<List<Resume>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(List<Resume> value) {
            return JsonColumns.write(value == null ? List.of() : value);
        }

        @Override
        public List<Resume> convertToEntityAttribute(String json) {
            return json == null ? List.of() : List.copyOf(JsonColumns.read(json, TYPE));
        }
    }
}
