// What every dashboard page shares: the tab's token, calls to the API, live streams, and
// building elements whose text is always set as text (never parsed as HTML).

const TOKEN = 'charon.token';
const CALLER = 'charon.caller';
export const ROLES = ['viewer', 'operator', 'admin'];
export const FINAL = ['completed', 'failed', 'cancelled', 'timeout'];
/** The events that change a job's status (not job.progress): what lists and counts follow. */
export const LIFECYCLE = ['job.created', 'job.scheduled', 'job.queued', 'job.started', 'job.retried', 'job.blocked',
  'job.completed', 'job.failed', 'job.cancelled', 'job.timeout'];

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function caller() {
  try {
    return JSON.parse(sessionStorage.getItem(CALLER));
  } catch (e) {
    return null;
  }
}

/** Whether the signed-in role includes `role`; the API checks it again on every call. */
export function may(role) {
  const c = caller();
  return !!c && ROLES.indexOf(c.role) >= ROLES.indexOf(role);
}

export function remember(tokenText, who) {
  sessionStorage.setItem(TOKEN, tokenText);
  sessionStorage.setItem(CALLER, JSON.stringify(who));
}

export function signOut() {
  sessionStorage.clear(); // the token, the caller and whatever the pages kept for this tab
  location.assign('/signin');
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || 'the service answered ' + status);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra, tokenText) {
  return Object.assign({ Authorization: 'Bearer ' + (tokenText || token()) }, extra);
}

/** A call to /api/v1: JSON in and out; a problem answer throws an ApiError. No cookie is ever sent. */
export async function api(path, { method = 'GET', body, tokenText, text = false } = {}) {
  const extra = { Accept: text ? 'text/plain' : 'application/json' };
  if (body !== undefined) {
    extra['Content-Type'] = 'application/json';
  }
  const response = await fetch('/api/v1' + path, {
    method, headers: headers(extra, tokenText), credentials: 'omit', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && !tokenText) {
    signOut();
  }
  const content = await response.text();
  if (!response.ok) {
    let problem = null;
    try {
      problem = JSON.parse(content);
    } catch (e) {
      // not a problem document: the status says enough
    }
    throw new ApiError(response.status, problem);
  }
  if (text) {
    return content;
  }
  return content ? JSON.parse(content) : null;
}

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Follows a Server-Sent Events stream of the API. EventSource cannot send the token in a
 * header, so the stream is read with fetch; it resumes after the last id it saw when it breaks.
 * `finite`: the stream ends by itself (a job's log) and is not reopened then, unless the service
 * said it was stopping.
 *
 * A page left for another may be kept, frozen, in the browser's back/forward cache, and a stream
 * it left open would keep holding one of the few connections a browser opens to a host (six):
 * a few pages later, new pages' requests would wait until the browser dropped old pages. So a
 * stream is closed when its page is hidden, and resumed after its last id if the page is shown again.
 */
export function stream(path, onMessage, { finite = false, onOpen } = {}) {
  let control = new AbortController();
  let lastId = null;
  let stopping = false;
  let done = false;

  async function once() {
    const extra = { Accept: 'text/event-stream' };
    if (lastId !== null) {
      extra['Last-Event-ID'] = lastId;
    }
    const response = await fetch('/api/v1' + path, {
      headers: headers(extra), credentials: 'omit', cache: 'no-store', signal: control.signal,
    });
    if (response.status === 401) {
      signOut();
      return 'refused';
    }
    if (!response.ok) {
      throw new ApiError(response.status, null);
    }
    if (onOpen) {
      onOpen();
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let data = [];
    let type = 'message';
    let id = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return 'ended';
      }
      buffer += value;
      // lines are cut out by position and the rest kept once per chunk: slicing the buffer per
      // line would copy a large chunk once for each of its lines
      let from = 0;
      let end;
      while ((end = buffer.indexOf('\n', from)) >= 0) {
        let line = buffer.slice(from, end);
        from = end + 1;
        if (line.endsWith('\r')) {
          line = line.slice(0, -1);
        }
        if (line === '') {
          if (data.length > 0) {
            if (id !== null) {
              lastId = id;
            }
            stopping = type === 'service.stopping';
            onMessage({ type, id, data: data.join('\n') });
          }
          data = [];
          type = 'message';
          id = null;
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let val = colon < 0 ? '' : line.slice(colon + 1);
          if (val.startsWith(' ')) {
            val = val.slice(1);
          }
          if (field === 'data') {
            data.push(val);
          } else if (field === 'event') {
            type = val;
          } else if (field === 'id') {
            id = val;
          }
        }
      }
      buffer = buffer.slice(from);
    }
  }

  async function follow(signal) {
    let delay = 500;
    while (!signal.aborted) {
      try {
        const how = await once();
        if (how === 'refused' || (how === 'ended' && finite && !stopping)) {
          done = true;
          return;
        }
        delay = 500;
      } catch (e) {
        if (signal.aborted) {
          return;
        }
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 10000);
    }
  }

  function hidden() {
    control.abort();
  }
  function shown(event) {
    if (event.persisted && !done && control.signal.aborted) {
      control = new AbortController();
      follow(control.signal);
    }
  }
  addEventListener('pagehide', hidden);
  addEventListener('pageshow', shown);
  follow(control.signal);
  return () => {
    removeEventListener('pagehide', hidden);
    removeEventListener('pageshow', shown);
    control.abort();
  };
}

/** Runs `work` once per animation frame however often it is asked for: bursts of events cost one redraw. */
export function perFrame(work) {
  let asked = false;
  return () => {
    if (!asked) {
      asked = true;
      requestAnimationFrame(() => {
        asked = false;
        work();
      });
    }
  };
}

/**
 * Runs `work` at most once per `ms` and once more after the last call: for reloads that cost a
 * request. An asynchronous `work` is waited for, so that a slow service never has two of them
 * at once (they would pile up); calls meanwhile collapse into the one after.
 */
export function throttle(work, ms) {
  let busy = false;
  let again = false;
  async function run() {
    busy = true;
    const started = Date.now();
    try {
      await work();
    } catch (e) {
      // `work` shows its own errors; the next call tries again
    }
    setTimeout(() => {
      busy = false;
      if (again) {
        again = false;
        run();
      }
    }, Math.max(0, ms - (Date.now() - started)));
  }
  return () => {
    if (busy) {
      again = true;
    } else {
      run();
    }
  };
}

/** An element with attributes and children; strings become text nodes, never markup. */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'text') {
      node.textContent = String(value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A term and its value for a <dl>, or nothing when there is no value. */
export function fact(term, value) {
  if (value === null || value === undefined || value === '') {
    return [];
  }
  return [el('dt', {}, term), el('dd', {}, value)];
}

/** A table: its caption (for screen readers: a heading above names it), its column headings, and its rows, each a list of cells (text or elements). */
export function table(caption, headings, rows, { rowKey } = {}) {
  return el('table', {}, el('caption', { class: 'sr-only' }, caption),
      el('thead', {}, el('tr', {}, ...headings.map(heading => el('th', { scope: 'col' }, heading)))),
      el('tbody', {}, ...rows.map((cells, i) => el('tr', { 'data-key': rowKey ? rowKey(i) : null },
          ...cells.map(cell => el('td', {}, cell ?? ''))))));
}

export function byId(id) {
  return document.getElementById(id);
}

/** A link to a job's page; its id goes into the path escaped. */
export function jobLink(job) {
  return el('a', { href: '/jobs/' + encodeURIComponent(job.id) }, job.name);
}

/** A link to the page of a named item, e.g. itemLink('inventories', 'production'). */
export function itemLink(collection, name) {
  return el('a', { href: '/' + collection + '/' + encodeURIComponent(name) }, name);
}

/** A template's name: a link to its launch form for those who may launch, text for the others. */
export function templateLink(name) {
  return may('operator') ? el('a', { href: '/launch?template=' + encodeURIComponent(name) }, name) : name;
}

export function statusBadge(status) {
  return el('span', { class: 'status status-' + String(status).replace(/[^a-z]/g, '') }, status);
}

export function formatTime(instant) {
  if (!instant) {
    return '';
  }
  const date = new Date(instant);
  return isNaN(date) ? String(instant) : date.toLocaleString();
}

/** Milliseconds as a short duration: 850 ms, 12.4 s, 3 min 05 s, 2 h 07 min. */
export function formatMillis(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) {
    return '';
  }
  if (ms < 1000) {
    return Math.round(ms) + ' ms';
  }
  const seconds = ms / 1000;
  if (seconds < 60) {
    return seconds.toFixed(1) + ' s';
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return minutes + ' min ' + String(Math.floor(seconds % 60)).padStart(2, '0') + ' s';
  }
  return Math.floor(minutes / 60) + ' h ' + String(minutes % 60).padStart(2, '0') + ' min';
}

/** An ISO-8601 duration as the API writes it (PT1M2.5S) in milliseconds. */
export function durationMillis(iso) {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso || '');
  if (!match) {
    return null;
  }
  return ((+match[1] || 0) * 3600 + (+match[2] || 0) * 60 + (+match[3] || 0)) * 1000;
}

export function showError(error) {
  const notice = byId('notice');
  notice.textContent = error && error.message ? error.message : String(error);
  notice.hidden = false;
}

export function clearError() {
  byId('notice').hidden = true;
}

/** Reveals what the signed-in role may use: elements marked data-needs="operator" or "admin". */
export function revealForRole(root = document) {
  for (const node of root.querySelectorAll('[data-needs]')) {
    node.hidden = !may(node.dataset.needs);
  }
}

/**
 * Starts a page that needs a signed-in tab: without a token it goes to the sign-in page;
 * otherwise it shows the menu and the caller, then runs the page's own `init`.
 */
export function start(init) {
  if (!token() || !caller()) {
    location.replace('/signin');
    return;
  }
  const who = caller();
  byId('who-user').textContent = who.userId;
  byId('who-role').textContent = who.role;
  byId('who').hidden = false;
  byId('nav').hidden = false;
  byId('sign-out').addEventListener('click', signOut);
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === location.pathname
        || (link.getAttribute('href') !== '/' && location.pathname.startsWith(link.getAttribute('href') + '/'))) {
      link.setAttribute('aria-current', 'page');
    }
  }
  revealForRole();
  Promise.resolve().then(init).catch(showError);
}
