import { el, formatTime, itemLink, table, templateLink } from './dashboard.js';
import { list } from './listing.js';
import { detail, facts, name, sections, templatesThat } from './detail.js';

// One credential: what it is and how a job uses it, never its secrets (the API returns none: only
// whether a key has a passphrase or a become credential a password), and the templates that name it.

const USE = {
  ssh: "the remote user and the only key for every connection (an inventory's ansible_user wins)",
  become: 'the become method, user and password (the playbook says where to become)',
  vault: "the vault password for a playbook's !vault values and vaulted files",
};

function yesNo(value) {
  return value === undefined || value === null ? '' : (value ? 'yes' : 'no');
}

detail('credentials', async credential => {
  facts(['Kind', credential.kind], ['Used as', USE[credential.kind] || ''], ['Description', credential.description],
      ['User name', credential.username], ['Become method', credential.method],
      ['Key fingerprint', credential.fingerprint], ['Key has a passphrase', yesNo(credential.hasPassphrase)],
      ['Has a password', yesNo(credential.hasPassword)], ['Shared with', list(credential.users)],
      ['Owner', credential.owner], ['Created', formatTime(credential.createdAt) + ' by ' + credential.createdBy],
      ['Updated', formatTime(credential.updatedAt) + ' by ' + credential.updatedBy]);
  const templates = await templatesThat(t => (t.credentials || []).includes(name));
  sections(['Templates that use it', templates.length
    ? table('Templates that use it', ['Template', 'Inventory'], templates.map(t => [templateLink(t.name),
      t.inventoryRef ? itemLink('inventories', t.inventoryRef) : (t.inventory || []).join(', ')]))
    : el('p', { class: 'muted' }, 'None that you may see.')]);
});
