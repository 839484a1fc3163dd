import { itemLink } from './dashboard.js';
import { listing, list, when } from './listing.js';

listing('/inventories', [
  ['Name', i => itemLink('inventories', i.name)], ['Version', i => i.version], ['Hosts', i => Object.keys(i.hosts || {}).join(', ')],
  ['Groups', i => Object.keys(i.groups || {}).join(', ')], ['Host keys', i => i.hostKeyPolicy],
  ['Shared with', i => list(i.users)], ['Owner', i => i.owner], ['Updated', i => when(i.updatedAt)],
]);
