import { listing, when } from './listing.js';

listing('/tokens', [
  ['Id', t => t.id], ['User', t => t.userId], ['Role', t => t.role], ['Description', t => t.description],
  ['Source', t => t.source], ['Created', t => when(t.createdAt)], ['Expires', t => when(t.expiresAt)],
  ['Revoked', t => when(t.revokedAt)],
]);
