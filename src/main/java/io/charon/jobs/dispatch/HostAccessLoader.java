package io.charon.jobs.dispatch;

import io.charon.jobs.credential.Credential;
import io.charon.jobs.credential.SealedCredential;
import io.charon.jobs.execution.HostAccess;
import io.charon.jobs.inventory.HostKeyPolicy;
import io.charon.jobs.inventory.Inventory;
import io.charon.jobs.inventory.InventoryDocument;
import io.charon.jobs.inventory.InventoryVersion;
import io.charon.jobs.persistence.KeptVersion;
import io.charon.jobs.queue.ClaimedJob;
import io.charon.jobs.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

/**
 * Loads, just before a run, what the run needs to reach its hosts: the inventory version its job
 * recorded, the inventory's current host keys and policy, and the job's credentials with their
 * secrets still sealed. Loaded at run time, not at submission, so that a credential rotated while
 * the job waited is used in its new form; a run already going keeps what it started with.
 */
@ApplicationScoped
public class HostAccessLoader {

    private final Store store;

    public HostAccessLoader(Store store) {
        this.store = store;
    }

    /**
     * The job's host access, or null for a job with a plain host list and no credentials.
     *
     * @throws UnavailableException the inventory version or a credential is gone from the store
     */
    @ActivateRequestContext
    public HostAccess load(ClaimedJob job) {
        if (job.inventoryRef() == null && job.credentials().isEmpty()) {
            return null;
        }
        InventoryDocument document = null;
        HostKeyPolicy policy = HostKeyPolicy.STRICT;
        String knownHosts = "";
        int version = 0;
        if (job.inventoryRef() != null) {
            version = job.inventoryVersion();
            InventoryVersion recorded = store.session().find(InventoryVersion.class,
                    new KeptVersion.Key(job.inventoryRef(), version));
            Inventory current = store.session().find(Inventory.class, job.inventoryRef());
            if (recorded == null || current == null) {
                throw new UnavailableException("inventory " + job.inventoryRef() + " version " + version
                        + " is no longer stored");
            }
            document = recorded.document();
            policy = current.hostKeyPolicy();
            knownHosts = current.knownHosts();
        }
        SealedCredential ssh = null;
        SealedCredential become = null;
        SealedCredential vault = null;
        for (String name : job.credentials()) {
            Credential credential = store.session().find(Credential.class, name);
            if (credential == null) {
                throw new UnavailableException("credential " + name + " is no longer stored");
            }
            switch (credential.kind()) {
                case SSH -> ssh = credential.sealed();
                case BECOME -> become = credential.sealed();
                case VAULT -> vault = credential.sealed();
            }
        }
        return new HostAccess(job.inventoryRef(), version, document, job.inventory(), policy, knownHosts, ssh, become,
                vault);
    }

    /** What the run needs is gone; the run fails with this message. */
    public static class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message);
        }
    }
}
