import {
  api, byId, el, statusBadge, formatTime, formatMillis, durationMillis, start, stream, perFrame, throttle,
  may, showError, clearError, fact, FINAL,
} from './dashboard.js';
import { appendAnsi, plain } from './ansi.js';

// One job: its state and results reloaded as its events arrive, its artifacts and (for a check)
// its diff, its events as a timeline, and its log followed live.

const id = decodeURIComponent(location.pathname.slice('/jobs/'.length));
const HOST_COLUMNS = ['ok', 'changed', 'failed', 'unreachable', 'skipped', 'rescued', 'ignored'];
let job = null;
let ended = false; // whether the job had ended when last drawn: a check's diff loads as it ends
const seenEvents = new Set();
const MAX_EVENTS = 5000;

function renderJob(view) {
  job = view;
  document.title = view.name + ' · charon-jobs';
  byId('job-name').textContent = view.name;
  byId('job-status').replaceChildren(statusBadge(view.status));
  byId('job-error').textContent = view.errorMessage || '';
  const final = FINAL.includes(view.status);
  byId('cancel-job').hidden = !may('operator') || final;
  byId('relaunch-job').hidden = !may('operator') || !final;
  const hosts = view.inventoryRef
    ? view.inventoryRef + ' v' + view.inventoryVersion + (view.limit ? ' (' + view.limit + ')' : '') + ': ' + view.inventory.join(', ')
    : (view.inventory || []).join(', ');
  byId('job-facts').replaceChildren(
      ...fact('Id', view.id), ...fact('Template', view.template ? view.template + ' v' + view.templateVersion : ''),
      ...fact('Playbook', view.playbook), ...fact('Hosts', hosts),
      ...fact('Mode', view.mode), ...fact('Type', view.type), ...fact('Priority', view.priority), ...fact('Queue', view.queue),
      ...fact('User', view.userId), ...fact('Description', view.description),
      ...fact('Created', formatTime(view.createdAt)), ...fact('Scheduled for', formatTime(view.scheduledAt)),
      ...fact('Next attempt after', formatTime(view.startAfter)),
      ...fact('Started', formatTime(view.startedAt)), ...fact('Ended', formatTime(view.completedAt)),
      ...fact('Duration', view.duration ? formatMillis(durationMillis(view.duration)) : ''),
      ...fact('Exit code', view.exitCode === null || view.exitCode === undefined ? '' : String(view.exitCode)),
      ...fact('Retries', view.retryCount + ' of ' + view.maxRetries),
      ...fact('Waiting for hosts held by', (view.blockedBy || [])
          .map(b => (b.jobId || 'another job') + ' (' + b.hosts.join(', ') + ')').join('; ')));

  const stats = Object.entries(view.hostStats || {});
  document.querySelector('#hosts tbody').replaceChildren(...stats.map(([host, s]) => el('tr', {
    'data-host': host, class: s.failed > 0 || s.unreachable > 0 ? 'host-failed' : null,
  }, el('th', { scope: 'row' }, host), ...HOST_COLUMNS.map(c => el('td', { 'data-column': c }, s[c])))));
  byId('hosts-empty').hidden = stats.length > 0;

  byId('job-tags').replaceChildren(...(view.tags || []).map(tag => el('li', {}, tag)));
  const variables = Object.entries(view.variables || {}).map(([name, value]) => el('tr', {},
      el('th', { scope: 'row' }, name), el('td', {}, value)));
  const secrets = (view.secretVariables || []).map(name => el('tr', {}, el('th', { scope: 'row' }, name),
      el('td', { class: 'muted' }, 'secret')));
  document.querySelector('#variables tbody').replaceChildren(...variables, ...secrets);

  const attempts = view.attempts || [];
  document.querySelector('#attempts tbody').replaceChildren(...attempts.map(a => el('tr', {},
      el('td', {}, a.number), el('td', {}, statusBadge(a.outcome)), el('td', {}, formatTime(a.startedAt)),
      el('td', {}, formatTime(a.endedAt)), el('td', {}, a.duration ? formatMillis(durationMillis(a.duration)) : ''),
      el('td', {}, a.exitCode === null || a.exitCode === undefined ? '' : a.exitCode), el('td', {}, a.errorMessage || ''))));
  byId('attempts-empty').hidden = attempts.length > 0;

  renderArtifacts(view.artifacts);
  const checking = view.mode === 'check';
  byId('job-check').hidden = !checking;
  byId('diff-section').hidden = !checking;
  if (checking && !final) {
    // not run yet, or being tried again: a diff shown now would be an earlier run's
    byId('diff').replaceChildren();
    byId('diff-pending').hidden = false;
    byId('diff-empty').hidden = true;
    byId('diff-truncated').hidden = true;
  } else if (checking && !ended) {
    api('/jobs/' + encodeURIComponent(id) + '/diff').then(renderDiff).catch(showError);
  }
  ended = final;
}

// ---- artifacts and a check's diff ---------------------------------------------------------------

function renderArtifacts(artifacts) {
  const entries = Object.entries(artifacts || {});
  document.querySelector('#artifacts tbody').replaceChildren(...entries.map(([name, value]) => el('tr', { 'data-key': name },
      el('th', { scope: 'row' }, name),
      // objects and lists as formatted JSON; strings, numbers and booleans as they are
      el('td', {}, value !== null && typeof value === 'object'
        ? el('pre', { class: 'json' }, JSON.stringify(value, null, 2)) : String(value)))));
  byId('artifacts-empty').hidden = entries.length > 0;
}

/**
 * The class of each line of a unified diff: the lines of a hunk by its counts (so a removed line
 * that starts with "--" is not taken for a file header), anything else by its first characters.
 * The class only styles the line: its +/- stays in the text.
 */
function diffClasses(lines) {
  let before = 0;
  let after = 0;
  return lines.map(line => {
    if (before > 0 || after > 0) {
      if (line.startsWith('\\')) {
        return 'diff-note'; // "\ No newline at end of file"
      }
      before -= line.startsWith('+') ? 0 : 1;
      after -= line.startsWith('-') ? 0 : 1;
      return line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : null;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      before = hunk[1] === undefined ? 1 : Number(hunk[1]);
      after = hunk[2] === undefined ? 1 : Number(hunk[2]);
      return 'diff-hunk';
    }
    if (line.startsWith('---') || line.startsWith('+++')) {
      return 'diff-file';
    }
    return line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : null;
  });
}

function diffText(text) {
  const lines = String(text).replace(/\n$/, '').split('\n');
  const classes = diffClasses(lines);
  return el('pre', { class: 'diff' }, ...lines.map((line, i) => el('span', {
    class: classes[i] ? 'line ' + classes[i] : 'line',
  }, line + '\n')));
}

/**
 * The diff grouped by host, in the order the entries came, and within a host by task: the entries
 * of one task in a row (a loop's items) share its heading.
 */
function renderDiff(diff) {
  const hosts = new Map();
  for (const entry of diff.entries) {
    if (!hosts.has(entry.host)) {
      hosts.set(entry.host, []);
    }
    const tasks = hosts.get(entry.host);
    const last = tasks[tasks.length - 1];
    if (last && last.task === entry.task) {
      last.diffs.push(entry.diff);
    } else {
      tasks.push({ task: entry.task, diffs: [entry.diff] });
    }
  }
  byId('diff').replaceChildren(...[...hosts].map(([host, tasks]) => el('div', { class: 'diff-host', 'data-host': host },
      el('h3', {}, host), ...tasks.map(({ task, diffs }) => el('div', { class: 'diff-task' },
          el('h4', {}, task || 'a task without a name'), ...diffs.map(diffText))))));
  byId('diff-pending').hidden = true;
  byId('diff-empty').hidden = diff.entries.length > 0;
  byId('diff-truncated').hidden = !diff.truncated;
}

const reloadJob = throttle(() => api('/jobs/' + encodeURIComponent(id)).then(renderJob).catch(showError), 500);

function addEvent(event) {
  if (seenEvents.has(event.id)) {
    return;
  }
  seenEvents.add(event.id);
  let detail = event.message || '';
  if (event.type === 'job.progress' && event.data && event.data.host) {
    detail = [event.data.task, event.data.host, event.data.result].filter(Boolean).join(' · ');
  }
  const timeline = byId('events');
  timeline.append(el('li', { 'data-type': event.type, 'data-id': event.id },
      el('time', { datetime: event.timestamp }, formatTime(event.timestamp)), ' ',
      el('span', { class: 'event-type' }, event.type), ' ', statusBadge(event.status), ' ',
      el('span', {}, detail)));
  if (timeline.childElementCount > MAX_EVENTS) {
    // the page stays bounded; GET /jobs/{id}/events has them all
    seenEvents.delete(Number(timeline.firstElementChild.dataset.id));
    timeline.firstElementChild.remove();
  }
}

// ---- the log ----------------------------------------------------------------------------------
const log = byId('log');
const lineQueue = [];
const MAX_LOG_LINES = 20000;
let ansiStyle = {};

function matches(line, query) {
  return line.dataset.plain.toLowerCase().includes(query);
}

function applySearch() {
  const query = byId('log-search').value.trim().toLowerCase();
  let count = 0;
  for (const line of log.children) {
    const hit = query !== '' && matches(line, query);
    line.hidden = query !== '' && !hit;
    line.classList.toggle('match', hit);
    count += hit ? 1 : 0;
  }
  byId('log-matches').textContent = query === '' ? '' : count + (count === 1 ? ' line' : ' lines');
}

const drawLog = perFrame(() => {
  const query = byId('log-search').value.trim().toLowerCase();
  const fragment = document.createDocumentFragment();
  for (const text of lineQueue) {
    const line = el('span', { class: 'line' });
    ansiStyle = appendAnsi(line, text, ansiStyle);
    line.dataset.plain = plain(text);
    line.append('\n');
    if (query !== '') {
      const hit = matches(line, query);
      line.hidden = !hit;
      line.classList.toggle('match', hit);
    }
    fragment.append(line);
  }
  lineQueue.length = 0;
  log.append(fragment);
  // a page holds a bounded log: the oldest lines go, the whole log stays a download away
  let dropped = 0;
  while (log.childElementCount > MAX_LOG_LINES) {
    log.firstElementChild.remove();
    dropped++;
  }
  if (dropped > 0) {
    byId('log-trimmed').hidden = false;
  }
  if (query !== '') {
    applySearch();
  }
  if (byId('log-follow').checked) {
    log.scrollTop = log.scrollHeight;
  }
});

function onLogLine(message) {
  if (message.type !== 'log') {
    return;
  }
  try {
    lineQueue.push(JSON.parse(message.data).text);
  } catch (e) {
    return;
  }
  drawLog();
}

async function download() {
  const text = await api('/jobs/' + encodeURIComponent(id) + '/log', { text: true });
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const link = el('a', { href: url, download: 'job-' + id + '.log' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

start(async () => {
  byId('cancel-job').addEventListener('click', async () => {
    try {
      renderJob(await api('/jobs/' + encodeURIComponent(id) + '/cancel', { method: 'POST' }));
      clearError();
    } catch (e) {
      showError(e);
    }
  });
  byId('relaunch-job').addEventListener('click', async () => {
    try {
      const relaunched = await api('/jobs/' + encodeURIComponent(id) + '/relaunch', { method: 'POST' });
      location.assign('/jobs/' + encodeURIComponent(relaunched.id));
    } catch (e) {
      showError(e);
    }
  });
  byId('log-search').addEventListener('input', applySearch);
  byId('log-download').addEventListener('click', () => download().catch(showError));

  renderJob(await api('/jobs/' + encodeURIComponent(id)));
  const events = await api('/jobs/' + encodeURIComponent(id) + '/events');
  events.forEach(addEvent);
  const after = events.length ? events[events.length - 1].id : null;
  const scope = new URLSearchParams({ jobId: id });
  if (after !== null) {
    scope.set('after', after);
  }
  stream('/events?' + scope, message => {
    try {
      addEvent(JSON.parse(message.data));
    } catch (e) {
      return;
    }
    reloadJob();
  });
  stream('/jobs/' + encodeURIComponent(id) + '/log/stream', onLogLine, { finite: true });
});
