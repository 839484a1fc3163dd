import {
  api, byId, el, fact, formatTime, itemLink, start, stream, throttle, statusBadge, may, showError, clearError,
} from './dashboard.js';
import { WorkflowGraph } from './graph.js';
import { RUN_ENDED, WORKFLOW_EVENTS, runOf } from './workflow-parts.js';

// One workflow run: its graph with each node's state and each edge's outcome, reloaded whenever
// one of its workflow events arrives (no reload of the page), the nodes' jobs a click away, Cancel.

const id = decodeURIComponent(location.pathname.slice('/workflow-runs/'.length));
let graph = null;

function jobHref(node) {
  return node.jobId ? '/jobs/' + encodeURIComponent(node.jobId) : null;
}

/** An edge's outcome as words: the state, and the condition's error when it failed. */
function outcome(edge) {
  if (edge.state === 'error') {
    return 'error' + (edge.message ? ': ' + edge.message : '');
  }
  return String(edge.state ?? '').replace('-', ' ');
}

/**
 * What a node offers beside its state, for those who may: nothing yet. Decisions on a node that
 * waits (an approval's approve and deny) belong here, one button each, as the job page's do.
 */
function nodeActions() {
  return [];
}

function render(run) {
  document.title = run.workflow + ' run · charon-jobs';
  byId('run-name').replaceChildren(itemLink('workflows', run.workflow), ' run');
  byId('run-status').replaceChildren(statusBadge(run.status));
  byId('run-message').textContent = run.message || '';
  byId('cancel-run').hidden = !may('operator') || RUN_ENDED.includes(run.status);
  byId('run-facts').replaceChildren(...fact('Run', run.id), ...fact('Workflow version', String(run.workflowVersion)),
      ...fact('Launched by', run.userId), ...fact('Started', formatTime(run.createdAt)),
      ...fact('Ended', formatTime(run.endedAt)));
  if (!graph) {
    graph = new WorkflowGraph(byId('graph'), run.nodes, run.edges, {
      node: node => String(node.status ?? ''), edge: outcome, href: jobHref,
    });
  } else {
    graph.update(run.nodes, run.edges);
  }
  document.querySelector('#nodes tbody').replaceChildren(...run.nodes.map(node => el('tr', { 'data-node': node.id },
      el('th', { scope: 'row' }, node.id), el('td', {}, node.template || node.type || ''),
      el('td', {}, statusBadge(node.status)),
      el('td', {}, node.jobId ? el('a', { href: jobHref(node) }, node.jobId) : ''),
      el('td', {}, node.message || ''), el('td', {}, formatTime(node.updatedAt)),
      el('td', { class: 'actions-cell' }, ...nodeActions(run, node)))));
  document.querySelector('#edges tbody').replaceChildren(...run.edges.map(edge => el('tr', {
    'data-from': edge.from, 'data-to': edge.to,
  }, el('td', {}, edge.from), el('td', {}, edge.to), el('td', {}, edge.on || 'success'),
  el('td', { class: 'code' }, edge.when || ''), el('td', {}, statusBadge(edge.state)), el('td', {}, edge.message || ''))));
}

const reload = throttle(() => api('/workflow-runs/' + encodeURIComponent(id)).then(render).catch(showError), 300);

start(async () => {
  byId('cancel-run').addEventListener('click', async () => {
    try {
      render(await api('/workflow-runs/' + encodeURIComponent(id) + '/cancel', { method: 'POST' }));
      clearError();
    } catch (e) {
      showError(e);
    }
  });
  render(await api('/workflow-runs/' + encodeURIComponent(id)));
  // the run is read again once the stream is open (and after each reconnect), so that a step taken
  // between the first read and the subscription is not missed
  stream('/events?type=' + WORKFLOW_EVENTS.join(','), message => {
    const event = runOf(message);
    if (event && event.run === id) {
      reload();
    }
  }, { onOpen: reload });
});
