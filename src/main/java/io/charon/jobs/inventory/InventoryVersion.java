package io.charon.jobs.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** One version of an inventory, kept unchanged: what the jobs that recorded it run with. */
@Entity
@Table(name = "inventory_versions")
public class InventoryVersion {

    /** An inventory's name and version number. */
    @Embeddable
    public record Key(@Column(nullable = false) String name, @Column(nullable = false) int version)
            implements Serializable {
    }

    @EmbeddedId
    Key key;

    @Convert(converter = InventoryColumns.Document.class)
    @Column(nullable = false)
    InventoryDocument document;

    @Convert(converter = InventoryColumns.Policy.class)
    @Column(name = "host_key_policy", nullable = false)
    HostKeyPolicy hostKeyPolicy;

    @Column(name = "known_hosts", nullable = false)
    String knownHosts;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    protected InventoryVersion() {
    }

    InventoryVersion(Inventory current) {
        this.key = new Key(current.name, current.version);
        this.document = current.document;
        this.hostKeyPolicy = current.hostKeyPolicy;
        this.knownHosts = current.knownHosts;
        this.createdAt = current.ownership.updatedAt();
        this.createdBy = current.ownership.updatedBy();
    }

    public int version() {
        return key.version();
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

    public Instant createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }
}
