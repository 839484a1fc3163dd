import { el, formatTime, formatMillis, durationMillis, table, templateLink } from './dashboard.js';
import { actions, detail, facts, sections } from './detail.js';
import { lastFired, nextRuns, toggleButton } from './schedule-parts.js';

// One schedule (admins): what it launches and with which parameters, when, what it did last; Pause and Resume.

detail('schedules', (schedule, redraw) => {
  facts(['Template', templateLink(schedule.template)], ['Cron', schedule.cron], ['Time zone', schedule.timeZone],
      ['State', schedule.enabled ? 'active' : 'paused'], ['Starts', formatTime(schedule.startAt)],
      ['Ends', formatTime(schedule.endAt)], ['When runs overlap', schedule.overlap],
      ['A missed slot', schedule.misfire],
      ['Start deadline', schedule.startDeadline ? formatMillis(durationMillis(schedule.startDeadline)) : ''],
      ['Last fired', lastFired(schedule)], ['Last skipped', formatTime(schedule.lastSkippedSlot)],
      ['Last missed', formatTime(schedule.lastMissedSlot)], ['Slots missed', String(schedule.missedCount)],
      ['Owner', schedule.owner], ['Created', formatTime(schedule.createdAt)],
      ['Updated', formatTime(schedule.updatedAt) + (schedule.updatedBy ? ' by ' + schedule.updatedBy : '')]);
  actions(toggleButton(schedule, redraw));
  const parameters = Object.entries(schedule.parameters || {});
  sections(['Next runs', nextRuns(schedule)],
      ['Parameters', parameters.length
        ? table('The parameters it launches the template with', ['Parameter', 'Value'],
            parameters.map(([key, value]) => [key, JSON.stringify(value)]))
        : el('p', { class: 'muted' }, "The template's defaults.")]);
});
