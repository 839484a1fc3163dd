package io.charon.jobs.inventory;

import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/**
 * A stored inventory at its current version. Every change (an update through the API, or host
 * keys learned under {@code accept-new}) makes a new version, kept as an {@link InventoryVersion}.
 */
@Entity
@Table(name = "inventories")
public class Inventory {

    @Id
    String name;

    @Column(nullable = false)
    int version;

    @Convert(converter = InventoryColumns.Document.class)
    @Column(nullable = false)
    InventoryDocument document;

    @Convert(converter = InventoryColumns.Policy.class)
    @Column(name = "host_key_policy", nullable = false)
    HostKeyPolicy hostKeyPolicy;

    @Column(name = "known_hosts", nullable = false)
    String knownHosts;

    @Column(nullable = false)
    String owner;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(nullable = false)
    List<String> users;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    String updatedBy;

    protected Inventory() {
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
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

    public String owner() {
        return owner;
    }

    public List<String> users() {
        return users;
    }

    /** True for its owner, the users it is shared with, and admins. */
    public boolean usableBy(String userId, boolean admin) {
        return admin || owner.equals(userId) || users.contains(userId);
    }
}
