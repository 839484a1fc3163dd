package io.charon.jobs.inventory;

import java.util.List;

/**
 * An inventory's content as validated, everything a create or an update sets: its hosts and
 * groups, host key policy, known hosts and the users it is shared with.
 */
public record InventoryContent(InventoryDocument document, HostKeyPolicy hostKeyPolicy, String knownHosts,
                               List<String> users) {

    public InventoryContent {
        users = List.copyOf(users);
    }
}
