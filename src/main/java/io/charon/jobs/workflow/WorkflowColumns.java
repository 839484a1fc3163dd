package io.charon.jobs.workflow;

import com.fasterxml.jackson.core.type.TypeReference;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.AttributeConverter;

import java.util.List;

/** A workflow's definition, and a run's edge outcomes, as JSON in the workflow tables. */
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
}
