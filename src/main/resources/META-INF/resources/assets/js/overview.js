import {
  api, byId, el, jobLink, formatTime, formatMillis, start, stream, throttle, may, showError, clearError, LIFECYCLE,
} from './dashboard.js';
import { barChart } from './chart.js';

// The overview: counts, queues, what runs now, the trend of the last hour, day and week, and
// (admins) the worker pool. Refreshed as events arrive, at most once a second.

const STATUSES = ['scheduled', 'queued', 'running', 'completed', 'failed', 'cancelled', 'timeout'];
const PERIODS = [['Last hour', 3600e3], ['Last day', 86400e3], ['Last week', 7 * 86400e3]];
const LAST_WORKERS = 'charon.lastWorkerCount';
let running = [];

async function counts() {
  const stats = await api('/stats');
  byId('status-counts').replaceChildren(...STATUSES.map(status => el('li', { class: 'count status-' + status,
    'data-status': status }, el('span', { class: 'count-value' }, stats.byStatus[status] || 0),
      el('span', { class: 'count-label' }, status))));
}

async function queues() {
  const list = await api('/queues');
  document.querySelector('#queues tbody').replaceChildren(...list.map(queue => {
    const actions = el('td', { hidden: !may('admin') });
    if (may('admin')) {
      const toggle = el('button', { type: 'button', 'data-queue': queue.name }, queue.paused ? 'Resume' : 'Pause');
      toggle.setAttribute('aria-label', (queue.paused ? 'Resume' : 'Pause') + ' queue ' + queue.name);
      toggle.addEventListener('click', () => api('/queues/' + encodeURIComponent(queue.name), {
        method: 'PUT', body: { paused: !queue.paused },
      }).then(refresh).catch(showError));
      actions.append(toggle);
    }
    return el('tr', { 'data-queue': queue.name }, el('th', { scope: 'row' }, queue.name), el('td', {}, queue.depth),
        el('td', {}, queue.running), el('td', {}, queue.maxConcurrent === null ? 'none' : queue.maxConcurrent),
        el('td', {}, queue.paused ? 'paused' : 'open'), actions);
  }));
}

function drawElapsed() {
  const now = Date.now();
  for (const { cell, startedAt } of running) {
    cell.textContent = startedAt ? formatMillis(now - new Date(startedAt).getTime()) : '';
  }
}

async function runningJobs() {
  const page = await api('/jobs?status=running&limit=50');
  running = [];
  document.querySelector('#running tbody').replaceChildren(...page.items.map(job => {
    const elapsed = el('td', { class: 'elapsed' });
    running.push({ cell: elapsed, startedAt: job.startedAt });
    return el('tr', { 'data-job': job.id }, el('td', {}, jobLink(job)), el('td', {}, (job.inventory || []).join(', ')),
        el('td', {}, job.queue), el('td', {}, formatTime(job.startedAt)), elapsed);
  }));
  byId('running-empty').hidden = page.items.length > 0;
  drawElapsed();
}

async function workers() {
  if (!may('admin')) {
    return;
  }
  const pool = await api('/workers');
  if (pool.workerCount > 0) {
    sessionStorage.setItem(LAST_WORKERS, pool.workerCount);
  }
  byId('workers-summary').textContent = pool.workerCount === 0
    ? 'Paused: no job starts. ' + pool.activeJobs + ' running, ' + pool.queueSize + ' queued.'
    : pool.workerCount + ' workers, ' + pool.activeJobs + ' running, ' + pool.queueSize + ' queued.';
  const input = byId('worker-count');
  if (document.activeElement !== input) {
    input.value = pool.workerCount;
  }
  byId('pause-pool').hidden = pool.workerCount === 0;
  byId('resume-pool').hidden = pool.workerCount !== 0;
}

async function resize(count) {
  const error = byId('workers-error');
  try {
    await api('/workers', { method: 'PUT', body: { workerCount: count } });
    error.hidden = true;
    byId('worker-count').blur();
    await workers();
  } catch (e) {
    error.textContent = e.problem && e.problem.errors ? e.problem.errors.map(f => f.reason).join('; ') : e.message;
    error.hidden = false;
  }
}

async function trend() {
  const now = Date.now();
  const periods = await Promise.all(PERIODS.map(([label, span]) => api('/stats?createdAfter='
      + encodeURIComponent(new Date(now - span).toISOString())).then(stats => ({ label, stats }))));
  document.querySelector('#trend tbody').replaceChildren(...periods.map(({ label, stats }) => el('tr', {},
      el('th', { scope: 'row' }, label), el('td', {}, stats.finished),
      el('td', {}, stats.successRate === null ? '–' : Math.round(stats.successRate * 100) + ' %'),
      el('td', {}, formatMillis(stats.durationMs.p50)), el('td', {}, formatMillis(stats.durationMs.p95)))));
  barChart(byId('chart-success'), periods.map(p => p.label), [{
    name: 'success', values: periods.map(p => p.stats.successRate === null ? 0 : p.stats.successRate * 100),
  }], value => Math.round(value) + ' %', 100);
  barChart(byId('chart-duration'), periods.map(p => p.label), [
    { name: 'p50', values: periods.map(p => p.stats.durationMs.p50 || 0) },
    { name: 'p95', values: periods.map(p => p.stats.durationMs.p95 || 0) },
  ], formatMillis);
}

async function refresh() {
  await Promise.all([counts(), queues(), runningJobs(), workers()]);
  clearError();
}

start(async () => {
  byId('resize-form').addEventListener('submit', event => {
    event.preventDefault();
    resize(Number(byId('worker-count').value));
  });
  byId('pause-pool').addEventListener('click', () => resize(0));
  byId('resume-pool').addEventListener('click', () => resize(Number(sessionStorage.getItem(LAST_WORKERS)) || 1));
  await Promise.all([refresh(), trend()]);
  const live = throttle(() => refresh().catch(showError), 1000);
  stream('/events?' + new URLSearchParams(LIFECYCLE.map(type => ['type', type])), live, { onOpen: live });
  setInterval(drawElapsed, 1000);
  setInterval(throttle(() => trend().catch(showError), 30000), 30000);
});
