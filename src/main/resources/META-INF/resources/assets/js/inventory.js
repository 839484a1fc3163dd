import { el, formatTime, itemLink, table, templateLink } from './dashboard.js';
import { list } from './listing.js';
import { detail, facts, name, sections, templatesThat, variables } from './detail.js';

// One inventory: its hosts, groups and variables, its host key policy, and the templates that
// run on it with the credentials they name.

detail('inventories', async inventory => {
  const known = (inventory.knownHosts || '').split('\n').filter(line => line.trim() && !line.startsWith('#')).length;
  facts(['Version', String(inventory.version)], ['Host keys', inventory.hostKeyPolicy],
      ['Known host keys', String(known)], ['Shared with', list(inventory.users)], ['Owner', inventory.owner],
      ['Created', formatTime(inventory.createdAt) + ' by ' + inventory.createdBy],
      ['Updated', formatTime(inventory.updatedAt) + ' by ' + inventory.updatedBy]);
  const hosts = Object.entries(inventory.hosts || {});
  const groups = Object.entries(inventory.groups || {});
  const templates = await templatesThat(t => t.inventoryRef === name);
  sections(
      ['Hosts', table('Hosts and their variables', ['Host', 'Variables'], hosts.map(([host, vars]) => [host, variables(vars)]),
          { rowKey: i => hosts[i][0] })],
      ['Groups', groups.length
        ? table('Groups', ['Group', 'Hosts', 'Child groups', 'Variables'],
            groups.map(([group, g]) => [group, list(g.hosts), list(g.children), variables(g.vars)]))
        : el('p', { class: 'muted' }, 'No group.')],
      ['Variables for all hosts', Object.keys(inventory.vars || {}).length
        ? variables(inventory.vars) : el('p', { class: 'muted' }, 'None.')],
      ['Templates that run on it', templates.length
        ? table('Templates that run on it', ['Template', 'Limit', 'Credentials'], templates.map(t => [templateLink(t.name),
          t.limit || '', el('span', {}, ...(t.credentials || []).flatMap((c, i) => [i ? ', ' : '', itemLink('credentials', c)]))]))
        : el('p', { class: 'muted' }, 'None that you may see.')]);
});
