import { itemLink } from './dashboard.js';
import { listing, list, when } from './listing.js';

listing('/credentials', [
  ['Name', c => itemLink('credentials', c.name)], ['Kind', c => c.kind], ['User name', c => c.username],
  ['Fingerprint', c => c.fingerprint], ['Description', c => c.description], ['Shared with', c => list(c.users)],
  ['Owner', c => c.owner], ['Updated', c => when(c.updatedAt)],
]);
