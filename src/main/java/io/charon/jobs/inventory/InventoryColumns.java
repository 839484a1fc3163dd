package io.charon.jobs.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.AttributeConverter;

/** Column converters of the inventory tables. */
final class InventoryColumns {

    private InventoryColumns() {
    }

    /** An inventory's document as JSON. */
    static class Document implements AttributeConverter<InventoryDocument, String> {
        private static final TypeReference<InventoryDocument> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(InventoryDocument value) {
            return JsonColumns.write(value);
        }

        @Override
        public InventoryDocument convertToEntityAttribute(String json) {
            return JsonColumns.read(json, TYPE);
        }
    }

    /** A host key policy by its wire name. */
    static class Policy implements AttributeConverter<HostKeyPolicy, String> {

        @Override
        public String convertToDatabaseColumn(HostKeyPolicy value) {
            return value.wireName();
        }

        @Override
        public HostKeyPolicy convertToEntityAttribute(String name) {
            return HostKeyPolicy.fromWireName(name).orElseThrow(() ->
                    new IllegalStateException("unknown host key policy in the store: " + name));
        }
    }
}
