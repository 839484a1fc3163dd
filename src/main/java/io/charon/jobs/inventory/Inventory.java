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

    /** A new inventory at version 1, owned by its creator. */
    Inventory(String name, InventoryContent content, String owner, Instant now) {
        this.name = name;
        this.version = 1;
        this.owner = owner;
        this.createdAt = now;
        this.createdBy = owner;
        set(content, owner, now);
    }

    /** The first version of a new inventory, to be stored beside it. */
    InventoryVersion firstVersion() {
        return new InventoryVersion(this);
    }

    /** Replaces everything a change sets (not the owner); returns the new version to store. */
    InventoryVersion replace(InventoryContent content, String by, Instant now) {
        version++;
        set(content, by, now);
        return new InventoryVersion(this);
    }

    /** Takes host keys learned by a run; returns the new version to store. */
    InventoryVersion learnKnownHosts(String knownHosts, String by, Instant now) {
        version++;
        this.knownHosts = knownHosts;
        this.updatedAt = now;
        this.updatedBy = by;
        return new InventoryVersion(this);
    }

    private void set(InventoryContent content, String by, Instant now) {
        this.document = content.document();
        this.hostKeyPolicy = content.hostKeyPolicy();
        this.knownHosts = content.knownHosts();
        this.users = content.users();
        this.updatedAt = now;
        this.updatedBy = by;
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

    public Instant createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String updatedBy() {
        return updatedBy;
    }

    /** True for its owner and admins: who may change or delete it. */
    public boolean manageableBy(String userId, boolean admin) {
        return admin || owner.equals(userId);
    }

    /** True for its owner, the users it is shared with, and admins. */
    public boolean usableBy(String userId, boolean admin) {
        return admin || owner.equals(userId) || users.contains(userId);
    }
}
