import { itemLink, may } from './dashboard.js';
import { listing } from './listing.js';
import { launchButton } from './workflow-parts.js';

listing('/workflows', [
  ['Name', w => itemLink('workflows', w.name)], ['Description', w => w.description], ['Version', w => w.version],
  ['Nodes', w => w.nodes.length], ['Edges', w => w.edges.length],
  ...(may('operator') ? [['Actions', w => launchButton(w.name)]] : []),
], w => w.name);
