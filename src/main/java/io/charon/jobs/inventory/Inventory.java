package io.charon.jobs.inventory;

import io.charon.jobs.security.Ownership;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

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

    @Embedded
    Ownership ownership;

    protected Inventory() {
    }

    /** A new inventory at version 1, owned by its creator. */
    Inventory(String name, InventoryContent content, String owner, Instant now) {
        this.name = name;
        this.version = 1;
        this.ownership = Ownership.of(owner, content.users(), now);
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
        this.ownership = ownership.changed(ownership.users(), now, by);
        return new InventoryVersion(this);
    }

    private void set(InventoryContent content, String by, Instant now) {
        this.document = content.document();
        this.hostKeyPolicy = content.hostKeyPolicy();
        this.knownHosts = content.knownHosts();
        this.ownership = ownership.changed(content.users(), now, by);
    }

    /** Whose it is, who else may use it, who created and last changed it. */
    public Ownership ownership() {
        return ownership;
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
}
