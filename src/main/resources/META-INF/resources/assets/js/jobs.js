import {
  api, byId, el, jobLink, statusBadge, formatTime, formatMillis, durationMillis, start, stream, perFrame,
  throttle, may, clearError, showError, FINAL, LIFECYCLE,
} from './dashboard.js';

// The jobs list: filters from the address (so a filtered list can be bookmarked; it never holds
// the token), pages by the API's cursor, rows updated from the event stream as jobs change.

const PAGE_SIZE = 50;
const form = byId('filters');
const body = document.querySelector('#jobs tbody');
let cursors = [null]; // the cursor of each page seen so far; the last one is the page shown
let nextCursor = null;
const rows = new Map(); // job id -> its row's cells, for live updates
const pending = new Map(); // job id -> latest event not drawn yet

function filters() {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const name of ['status', 'tag', 'type', 'userId']) {
    if (params.get(name)) {
      query.set(name, params.get(name));
    }
  }
  for (const name of ['createdAfter', 'createdBefore']) {
    if (params.get(name)) {
      const date = new Date(params.get(name));
      if (!isNaN(date)) {
        query.set(name, date.toISOString());
      }
    }
  }
  return query;
}

function fillForm() {
  const params = new URLSearchParams(location.search);
  for (const input of form.elements) {
    if (input.name) {
      input.value = params.get(input.name) || '';
    }
  }
}

function row(job) {
  const status = el('td', {}, statusBadge(job.status));
  const duration = el('td', {}, job.duration ? formatMillis(durationMillis(job.duration)) : '');
  const tags = el('td', {}, el('ul', { class: 'tags' }, ...(job.tags || []).map(tag => el('li', {}, tag))));
  const tr = el('tr', { 'data-job': job.id }, el('td', {}, jobLink(job)), status, tags, el('td', {}, job.userId),
      el('td', {}, job.queue), el('td', {}, formatTime(job.createdAt)), duration);
  rows.set(job.id, { status, duration });
  return tr;
}

async function load() {
  const query = filters();
  query.set('limit', PAGE_SIZE);
  const cursor = cursors[cursors.length - 1];
  if (cursor) {
    query.set('cursor', cursor);
  }
  let page;
  try {
    page = await api('/jobs?' + query);
    clearError();
    byId('filter-error').hidden = true;
  } catch (e) {
    if (e.problem && e.problem.errors) {
      byId('filter-error').textContent = e.problem.errors.map(f => f.field + ': ' + f.reason).join('; ');
      byId('filter-error').hidden = false;
      return;
    }
    throw e;
  }
  rows.clear();
  body.replaceChildren(...page.items.map(row));
  nextCursor = page.nextCursor;
  byId('jobs-empty').hidden = page.items.length > 0;
  byId('next-page').disabled = !nextCursor;
  byId('prev-page').disabled = cursors.length < 2;
  byId('first-page').disabled = cursors.length < 2;
  byId('page-number').textContent = 'Page ' + cursors.length;
}

const reload = throttle(() => load().catch(showError), 1000);

const draw = perFrame(() => {
  for (const [id, event] of pending) {
    const cells = rows.get(id);
    if (cells) {
      cells.status.replaceChildren(statusBadge(event.status));
    }
  }
  pending.clear();
});

function onEvent(message) {
  let event;
  try {
    event = JSON.parse(message.data);
  } catch (e) {
    return;
  }
  if (!event.jobId) {
    return;
  }
  if (rows.has(event.jobId)) {
    pending.set(event.jobId, event);
    draw();
    if (FINAL.includes(event.status)) {
      reload(); // the duration is known now
    }
  } else if (cursors.length === 1 && event.type === 'job.created') {
    reload();
  }
}

start(async () => {
  fillForm();
  form.addEventListener('submit', event => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const input of form.elements) {
      if (input.name && input.value) {
        params.set(input.name, input.value);
      }
    }
    history.replaceState(null, '', params.toString() ? '?' + params : location.pathname);
    cursors = [null];
    load().catch(showError);
  });
  form.addEventListener('reset', () => {
    history.replaceState(null, '', location.pathname);
    cursors = [null];
    setTimeout(() => load().catch(showError));
  });
  byId('next-page').addEventListener('click', () => {
    if (nextCursor) {
      cursors.push(nextCursor);
      load().catch(showError);
    }
  });
  byId('prev-page').addEventListener('click', () => {
    cursors.pop();
    load().catch(showError);
  });
  byId('first-page').addEventListener('click', () => {
    cursors = [null];
    load().catch(showError);
  });
  await load();
  const tag = filters().get('tag');
  const userId = may('admin') ? filters().get('userId') : null;
  // lifecycle events only: progress events change no row
  const scope = new URLSearchParams(LIFECYCLE.map(type => ['type', type]));
  if (tag) {
    scope.set('tag', tag);
  }
  if (userId) {
    scope.set('userId', userId);
  }
  // the stream starts with the live events and resumes after the last one it saw; what changed
  // before it opened is caught by a reload when it opens
  stream('/events?' + scope, onEvent, { onOpen: reload });
});
