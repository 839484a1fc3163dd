import { itemLink, templateLink } from './dashboard.js';
import { listing } from './listing.js';
import { lastFired, nextRuns, toggleButton } from './schedule-parts.js';

// The schedules (admins): what each launches, when, and its next runs; Pause and Resume.

listing('/schedules', [
  ['Name', s => itemLink('schedules', s.name)], ['Template', s => templateLink(s.template)], ['Cron', s => s.cron],
  ['Time zone', s => s.timeZone], ['Next runs', nextRuns], ['State', s => (s.enabled ? 'active' : 'paused')],
  ['Last fired', lastFired], ['Missed', s => s.missedCount], ['Owner', s => s.owner],
  ['Actions', (s, redraw) => toggleButton(s, redraw)],
], s => s.name);
