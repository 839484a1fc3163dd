import { api, el, formatTime, jobLink, may, showError, clearError } from './dashboard.js';

// What the schedules' list and a schedule's page both show: its next runs, when it last fired,
// and Pause and Resume (admins). PUT /schedules/{name} takes the whole schedule, so Pause and
// Resume send it back with `enabled` turned over.

export function nextRuns(schedule) {
  if (!schedule.enabled) {
    return 'none while paused';
  }
  return el('ul', { class: 'runs' }, ...(schedule.nextRuns || []).slice(0, 3).map(run =>
      el('li', {}, el('time', { datetime: run }, formatTime(run)))));
}

export function lastFired(schedule) {
  if (!schedule.lastFiredSlot) {
    return 'never';
  }
  const slot = formatTime(schedule.lastFiredSlot);
  return schedule.lastFiredJob ? jobLink({ id: schedule.lastFiredJob, name: slot }) : slot;
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

/** A Pause or Resume button for admins (nothing for others); `changed` gets the schedule as it is then. */
export function toggleButton(schedule, changed) {
  if (!may('admin')) {
    return '';
  }
  const verb = schedule.enabled ? 'Pause' : 'Resume';
  const button = el('button', { type: 'button', 'aria-label': verb + ' schedule ' + schedule.name, 'data-toggle': verb },
      verb);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      changed(await api('/schedules/' + encodeURIComponent(schedule.name), { method: 'PUT', body: toggled(schedule) }));
      clearError();
    } catch (e) {
      button.disabled = false;
      showError(e);
    }
  });
  return button;
}
