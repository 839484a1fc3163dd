import { api, el, may, showError, clearError } from './dashboard.js';
import { listing, when } from './listing.js';

// The schedules (admins): what each launches, when, and its next runs; Pause and Resume replace
// the schedule with `enabled` turned over, as PUT /schedules/{name} takes the whole schedule.

function nextRuns(schedule) {
  if (!schedule.enabled) {
    return 'none while paused';
  }
  return el('ul', { class: 'runs' }, ...(schedule.nextRuns || []).slice(0, 3).map(run =>
      el('li', {}, el('time', { datetime: run }, when(run)))));
}

function lastFired(schedule) {
  if (!schedule.lastFiredSlot) {
    return 'never';
  }
  const slot = when(schedule.lastFiredSlot);
  return schedule.lastFiredJob ? el('a', { href: '/jobs/' + encodeURIComponent(schedule.lastFiredJob) }, slot) : slot;
}

/** The schedule as a request gives it, with `enabled` turned over. */
function toggled(schedule) {
  const body = {
    template: schedule.template, parameters: schedule.parameters, cron: schedule.cron, timeZone: schedule.timeZone,
    enabled: !schedule.enabled, overlap: schedule.overlap, misfire: schedule.misfire,
    startDeadline: schedule.startDeadline,
  };
  for (const bound of ['startAt', 'endAt']) {
    if (schedule[bound]) {
      body[bound] = schedule[bound];
    }
  }
  return body;
}

function toggle(schedule, redraw) {
  if (!may('admin')) {
    return '';
  }
  const verb = schedule.enabled ? 'Pause' : 'Resume';
  const button = el('button', { type: 'button', 'aria-label': verb + ' schedule ' + schedule.name }, verb);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      redraw(await api('/schedules/' + encodeURIComponent(schedule.name), { method: 'PUT', body: toggled(schedule) }));
      clearError();
    } catch (e) {
      button.disabled = false;
      showError(e);
    }
  });
  return button;
}

listing('/schedules', [
  ['Name', s => s.name], ['Template', s => s.template], ['Cron', s => s.cron], ['Time zone', s => s.timeZone],
  ['Next runs', nextRuns], ['State', s => (s.enabled ? 'active' : 'paused')], ['Last fired', lastFired],
  ['Missed', s => s.missedCount], ['Owner', s => s.owner], ['Actions', toggle],
], s => s.name);
