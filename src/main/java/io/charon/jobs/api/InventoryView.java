package io.charon.jobs.api;

import io.charon.jobs.inventory.Inventory;
import io.charon.jobs.inventory.InventoryDocument;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A stored inventory as the API shows it, at its current version. */
public record InventoryView(
        String name,
        @Schema(description = "1 when created; each change (an update, or host keys learned by a run) adds one")
        int version,
        Map<String, Map<String, String>> hosts,
        Map<String, InventoryDocument.Group> groups,
        Map<String, String> vars,
        @Schema(enumeration = {"strict", "accept-new", "off"}) String hostKeyPolicy,
        String knownHosts,
        List<String> users,
        String owner,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        @Schema(description = "a user, or job:<id> for host keys learned by that job's run") String updatedBy) {

    static InventoryView of(Inventory inventory) {
        InventoryDocument document = inventory.document();
        return new InventoryView(inventory.name(), inventory.version(), document.hosts(), document.groups(),
                document.vars(), inventory.hostKeyPolicy().wireName(), inventory.knownHosts(), inventory.ownership().users(),
                inventory.ownership().owner(), inventory.ownership().createdAt(), inventory.ownership().createdBy(), inventory.ownership().updatedAt(),
                inventory.ownership().updatedBy());
    }
}
