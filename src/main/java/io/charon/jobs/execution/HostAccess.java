package io.charon.jobs.execution;

import io.charon.jobs.credential.SealedCredential;
import io.charon.jobs.inventory.HostKeyPolicy;
import io.charon.jobs.inventory.InventoryDocument;

import java.util.List;

/**
 * How a run of a job that names a stored inventory reaches its hosts: the inventory version the
 * job recorded, the hosts its limit selected, the inventory's host key policy and known hosts
 * (as they are now: keys learned since the job was submitted count), and the job's credentials,
 * sealed. A job with a plain host list runs without one.
 *
 * @param hosts the hosts to run on (the job's resolved limit), passed to Ansible as its limit
 * @param ssh    null: Ansible's defaults (the service's user, no key)
 * @param become null: no become password
 * @param vault  null: no vault password
 */
public record HostAccess(String inventoryName, int inventoryVersion, InventoryDocument inventory, List<String> hosts,
                         HostKeyPolicy hostKeyPolicy, String knownHosts, SealedCredential ssh,
                         SealedCredential become, SealedCredential vault) {

    public HostAccess {
        hosts = List.copyOf(hosts);
    }
}
