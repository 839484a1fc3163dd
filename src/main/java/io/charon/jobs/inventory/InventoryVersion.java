package io.charon.jobs.inventory;

import io.charon.jobs.persistence.KeptVersion;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One version of an inventory, kept unchanged: what the jobs that recorded it run with. */
@Entity
@Table(name = "inventory_versions")
public class InventoryVersion extends KeptVersion {

    @Convert(converter = InventoryColumns.Document.class)
    @Column(nullable = false)
    InventoryDocument document;

    @Convert(converter = InventoryColumns.Policy.class)
    @Column(name = "host_key_policy", nullable = false)
    HostKeyPolicy hostKeyPolicy;

    @Column(name = "known_hosts", nullable = false)
    String knownHosts;

    protected InventoryVersion() {
    }

    InventoryVersion(Inventory current) {
        super(current.name, current.version, current.ownership.updatedAt(), current.ownership.updatedBy());
        this.document = current.document;
        this.hostKeyPolicy = current.hostKeyPolicy;
        this.knownHosts = current.knownHosts;
    }

    public InventoryDocument document() {
        return document;
    }

    public HostKeyPolicy hostKeyPolicy() {
        return hostKeyPolicy;
    }

    public String knownHosts() {
        return knownHosts;
    }
}
