package io.charon.jobs.inventory;

import io.charon.jobs.job.JobStatus;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.ConstraintViolations;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stored inventories: create, read, list, replace and delete them, each change a new version
 * kept beside the inventory and audited in the same transaction. The owner and admins manage an
 * inventory; the users it lists may read it and run jobs on it; to anyone else it does not exist.
 * A change locks the inventory's row, so two changes at once make two versions, and a delete waits
 * for a submission that holds the row (and then sees its job).
 */
@ApplicationScoped
public class Inventories {

    /** Who changed an inventory when a run learned host keys into it: {@code job:<id>}. */
    public static final String JOB_PRINCIPAL_PREFIX = "job:";

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final InventoryValidator validator;

    public Inventories(Store store, AuditTrail audit, Clock clock, InventoryValidator validator) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.validator = validator;
    }

    /**
     * Creates the inventory at version 1, owned by {@code userId}.
     *
     * @throws io.charon.jobs.job.InvalidInputException with every error in the request
     * @throws InventoryConflictException an inventory of that name exists
     */
    public Inventory create(InventoryChange change, String userId) {
        String name = validator.name(change.name());
        InventoryContent content = validator.content(change);
        Instant now = now();
        try {
            return RolledBackByConflict.retrying("an inventory's creation", () -> QuarkusTransaction.requiringNew()
                    .call(() -> {
                        if (store.session().find(Inventory.class, name) != null) {
                            throw taken(name);
                        }
                        Inventory inventory = new Inventory(name, content, userId, now);
                        store.session().persist(inventory);
                        store.session().persist(inventory.firstVersion());
                        audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.INVENTORY_CREATE,
                                name, describe(inventory))));
                        return inventory;
                    }));
        } catch (RuntimeException e) {
            if (ConstraintViolations.causedBy(e)) {
                throw taken(name); // created by another request at the same moment
            }
            throw e;
        }
    }

    /**
     * The inventory, if {@code userId} may see it.
     *
     * @throws InventoryNotFoundException none of that name, or not one the user may see
     */
    @ActivateRequestContext
    public Inventory get(String name, String userId, boolean admin) {
        Inventory inventory = store.session().find(Inventory.class, name);
        if (inventory == null || !inventory.ownership().usableBy(userId, admin)) {
            throw new InventoryNotFoundException(name);
        }
        return inventory;
    }

    /**
     * The inventory a job of {@code userId} may name, as for {@link #get}. Called in a transaction
     * (a submission's), it locks the inventory's row against change until that transaction ends:
     * a delete waits for the submission and then finds its job.
     *
     * @throws InventoryNotFoundException none of that name, or not one the user may use
     */
    @ActivateRequestContext
    public Inventory usable(String name, String userId, boolean admin) {
        Inventory inventory = QuarkusTransaction.isActive()
                ? store.session().find(Inventory.class, name, LockModeType.PESSIMISTIC_READ)
                : store.session().find(Inventory.class, name);
        if (inventory == null || !inventory.ownership().usableBy(userId, admin)) {
            throw new InventoryNotFoundException(name);
        }
        return inventory;
    }

    /** The inventories {@code userId} may see (every one for an admin), by name. */
    @ActivateRequestContext
    public List<Inventory> list(String userId, boolean admin) {
        return store.session().createSelectionQuery("from Inventory order by name", Inventory.class).getResultList()
                .stream().filter(inventory -> inventory.ownership().usableBy(userId, admin)).toList();
    }

    /**
     * Replaces the inventory's content (not its owner), making the next version.
     *
     * @throws InventoryNotFoundException none of that name, or not one the user may see
     * @throws ForbiddenException the user may use the inventory but not change it
     */
    public Inventory update(String name, InventoryChange change, String userId, boolean admin) {
        InventoryContent content = validator.content(change);
        Instant now = now();
        return RolledBackByConflict.retrying("an inventory's update", () -> QuarkusTransaction.requiringNew()
                .call(() -> {
                    Inventory inventory = manageable(name, userId, admin);
                    store.session().persist(inventory.replace(content, userId, now));
                    audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.INVENTORY_UPDATE, name,
                            describe(inventory))));
                    return inventory;
                }));
    }

    /**
     * Deletes the inventory and its versions.
     *
     * @throws InventoryNotFoundException none of that name, or not one the user may see
     * @throws ForbiddenException the user may use the inventory but not delete it
     * @throws InventoryConflictException a job that has not ended names it
     */
    public void delete(String name, String userId, boolean admin) {
        RolledBackByConflict.retrying("an inventory's deletion", () -> QuarkusTransaction.requiringNew().run(() -> {
            // locked first: a submission naming it either committed its job before (seen below) or waits and finds it gone
            Inventory inventory = manageable(name, userId, admin);
            long using = ((Number) store.session().createNativeQuery("SELECT COUNT(*) FROM jobs"
                            + " WHERE status IN (:statuses) AND inventory_ref = :name", Object.class)
                    .setParameter("statuses", JobStatus.UNFINISHED_WIRE_NAMES).setParameter("name", name).getSingleResult()).longValue();
            if (using > 0) {
                throw new InventoryConflictException("inventory " + name + " is named by " + using
                        + (using == 1 ? " job that has" : " jobs that have") + " not ended; delete it once "
                        + (using == 1 ? "it has" : "they have") + " ended or been cancelled");
            }
            store.session().createMutationQuery("delete from InventoryVersion where key.name = :name")
                    .setParameter("name", name).executeUpdate();
            store.session().remove(inventory);
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.INVENTORY_DELETE, name,
                    "at version " + inventory.version())));
        }));
    }

    /**
     * Adds the known_hosts lines a run of job {@code jobId} found (under {@code accept-new}) that
     * the inventory does not hold yet, as a new version by {@code job:<jobId>}, audited. Nothing
     * happens when every line is known already, or when the inventory is gone.
     */
    @ActivateRequestContext
    public void learnHostKeys(String name, List<String> knownHostsLines, String jobId) {
        if (knownHostsLines.isEmpty()) {
            return;
        }
        String by = JOB_PRINCIPAL_PREFIX + jobId;
        Instant now = now();
        RolledBackByConflict.retrying("learning host keys", () -> QuarkusTransaction.requiringNew().run(() -> {
            Inventory inventory = store.session().find(Inventory.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (inventory == null) {
                return;
            }
            Set<String> known = new HashSet<>();
            Set<String> hostsAndTypes = new HashSet<>();
            KnownHosts.lines(inventory.knownHosts()).stream().filter(KnownHosts::isEntry).forEach(line -> {
                known.add(KnownHosts.identity(line));
                hostsAndTypes.add(KnownHosts.hostAndType(line));
            });
            List<String> learned = new ArrayList<>();
            List<String> conflicting = new ArrayList<>();
            for (String line : knownHostsLines) {
                String entry = line.strip();
                if (!KnownHosts.isEntry(entry) || KnownHosts.problem(entry).isPresent()
                        || known.contains(KnownHosts.identity(entry))) {
                    continue;
                }
                // another key of a type the host already has one of: runs that started before either
                // was recorded each met a "first" key; trusting both would keep an impostor's
                if (!hostsAndTypes.add(KnownHosts.hostAndType(entry))) {
                    conflicting.add(entry);
                    continue;
                }
                known.add(KnownHosts.identity(entry));
                learned.add(entry);
            }
            List<AuditEntry> audited = new ArrayList<>();
            if (!conflicting.isEmpty()) {
                audited.add(AuditEntry.failed(by, AuditActions.INVENTORY_LEARN_HOST_KEYS, name,
                        "refused " + conflicting.size() + " host keys that differ from a key already known for "
                                + describe(conflicting)));
            }
            String knownHosts = inventory.knownHosts() + String.join("\n", learned) + "\n";
            if (!learned.isEmpty() && knownHosts.getBytes(StandardCharsets.UTF_8).length > KnownHosts.MAX_BYTES) {
                audited.add(AuditEntry.failed(by, AuditActions.INVENTORY_LEARN_HOST_KEYS, name,
                        "no room for " + learned.size() + " host keys in knownHosts (at most " + KnownHosts.MAX_BYTES
                                + " bytes): " + describe(learned)));
            } else if (!learned.isEmpty()) {
                store.session().persist(inventory.learnKnownHosts(knownHosts, by, now));
                audited.add(AuditEntry.success(by, AuditActions.INVENTORY_LEARN_HOST_KEYS, name,
                        "version " + inventory.version() + ": " + learned.size() + " host keys learned for "
                                + describe(learned)));
            }
            audit.recordInTransaction(audited);
        }));
    }

    /** Known hosts entries as the audit trail names them: host and key type, at most ten. */
    private static String describe(List<String> entries) {
        return String.join(", ", entries.stream().limit(10).map(KnownHosts::hostAndType).toList())
                + (entries.size() > 10 ? " and more" : "");
    }

    /** The inventory locked for change, if the user may change it. */
    private Inventory manageable(String name, String userId, boolean admin) {
        Inventory inventory = store.session().find(Inventory.class, name, LockModeType.PESSIMISTIC_WRITE);
        if (inventory == null || !inventory.ownership().usableBy(userId, admin)) {
            throw new InventoryNotFoundException(name);
        }
        if (!inventory.ownership().manageableBy(userId, admin)) {
            throw new ForbiddenException("inventory " + name + " is shared with you for use; only its owner or an admin"
                    + " may change or delete it");
        }
        return inventory;
    }

    private static String describe(Inventory inventory) {
        InventoryDocument document = inventory.document();
        String detail = "version " + inventory.version() + ", " + document.hosts().size() + " hosts, "
                + document.groups().size() + " groups, host key policy " + inventory.hostKeyPolicy().wireName()
                + (inventory.ownership().users().isEmpty() ? "" : ", shared with " + String.join(", ", inventory.ownership().users()));
        return inventory.hostKeyPolicy() == HostKeyPolicy.OFF
                ? detail + "; host key checking is off: its hosts' identities are not verified"
                : detail;
    }

    private static InventoryConflictException taken(String name) {
        return new InventoryConflictException("an inventory named " + name + " exists already");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
