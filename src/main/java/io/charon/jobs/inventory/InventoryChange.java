package io.charon.jobs.inventory;

import java.util.List;
import java.util.Map;

/**
 * An inventory as a request gives it, not yet validated ({@link InventoryValidator}). A change
 * replaces the whole inventory: a field left out takes its default (no hosts, no groups, no
 * variables, {@code strict}, no known hosts, shared with nobody).
 *
 * @param hostKeyPolicy {@code strict}, {@code accept-new} or {@code off}; null: {@code strict}
 */
public record InventoryChange(String name, Map<String, Map<String, String>> hosts,
                              Map<String, InventoryDocument.Group> groups, Map<String, String> vars,
                              String hostKeyPolicy, String knownHosts, List<String> users) {
}
