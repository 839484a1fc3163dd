package io.charon.jobs.submission;

import io.charon.jobs.credential.Credential;
import io.charon.jobs.credential.CredentialKind;
import io.charon.jobs.credential.CredentialNotFoundException;
import io.charon.jobs.credential.Credentials;
import io.charon.jobs.inventory.HostPattern;
import io.charon.jobs.inventory.Inventories;
import io.charon.jobs.inventory.Inventory;
import io.charon.jobs.inventory.InventoryNotFoundException;
import io.charon.jobs.job.Actor;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves, inside the submission's transaction, the stored inventory and credentials a job
 * names: they must exist and be shared with the submitter (one that is not counts as missing),
 * the credentials must differ in kind, and the inventory's current version and the hosts the
 * job's limit selects from it are recorded in the job. Their rows are locked against change
 * until the job is committed, so a concurrent delete finds the job, and an update makes a
 * version the job did not record. Sharing is checked here, when a job is submitted or
 * relaunched: a job already stored keeps the right to what it names.
 */
@ApplicationScoped
public class HostReferences {

    private final Inventories inventories;
    private final Credentials credentials;

    public HostReferences(Inventories inventories, Credentials credentials) {
        this.inventories = inventories;
        this.credentials = credentials;
    }

    /**
     * The spec with its inventory resolved; unchanged when it names nothing stored.
     *
     * @throws InvalidInputException a name that is missing or not shared, two credentials of one
     *                               kind, or a limit that selects no host
     */
    JobSpec resolve(JobSpec spec, Actor actor) {
        if (spec.inventoryRef() == null && spec.credentials().isEmpty()) {
            return spec;
        }
        List<FieldError> errors = new ArrayList<>();
        JobSpec resolved = spec;
        if (spec.inventoryRef() != null) {
            Inventory inventory = usableInventory(spec.inventoryRef(), actor);
            if (inventory == null) {
                errors.add(new FieldError("inventoryRef", "no inventory named " + spec.inventoryRef()));
            } else {
                List<String> hosts = HostPattern.select(inventory.document(), spec.limit());
                if (hosts.isEmpty()) {
                    errors.add(new FieldError(spec.limit() == null ? "inventoryRef" : "limit",
                            "selects no host of inventory " + spec.inventoryRef()));
                }
                resolved = spec.resolvedOn(inventory.version(), hosts);
            }
        }
        Set<CredentialKind> kinds = EnumSet.noneOf(CredentialKind.class);
        for (int i = 0; i < spec.credentials().size(); i++) {
            String name = spec.credentials().get(i);
            Credential credential = usableCredential(name, actor);
            if (credential == null) {
                errors.add(new FieldError("credentials[" + i + "]", "no credential named " + name));
            } else if (!kinds.add(credential.kind())) {
                errors.add(new FieldError("credentials[" + i + "]", "is a second " + credential.kind().wireName()
                        + " credential; a job names at most one of each kind"));
            } else if (credential.kind() == CredentialKind.SSH && spec.inventoryRef() == null) {
                // a plain host list has no known hosts: every host's key would be refused as unknown
                errors.add(new FieldError("credentials[" + i + "]", "is an ssh credential: it needs a stored"
                        + " inventory (inventoryRef), whose knownHosts say which host keys to trust"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return resolved;
    }

    /** The credential, locked against change, or null when there is none the actor may use. */
    private Credential usableCredential(String name, Actor actor) {
        try {
            return credentials.usable(name, actor.userId(), actor.seesAllJobs());
        } catch (CredentialNotFoundException e) {
            return null;
        }
    }

    /** The inventory, locked against change, or null when there is none the actor may use. */
    private Inventory usableInventory(String name, Actor actor) {
        try {
            return inventories.usable(name, actor.userId(), actor.seesAllJobs());
        } catch (InventoryNotFoundException e) {
            return null;
        }
    }
}
