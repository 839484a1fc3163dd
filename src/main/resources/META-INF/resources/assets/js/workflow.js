import {
  api, byId, el, fact, formatTime, start, stream, throttle, statusBadge, showError,
} from './dashboard.js';
import { list } from './listing.js';
import { WorkflowGraph } from './graph.js';
import { launch, runLink, runOf, WORKFLOW_EVENTS } from './workflow-parts.js';

// One workflow: its definition as a graph and as tables, its recent runs (followed live), Launch.

const name = decodeURIComponent(location.pathname.slice('/workflows/'.length));
const RECENT = 20;

/** When a node starts: a root with the run; others once all (or any) of their incoming edges are taken. */
function startsWhen(workflow, node) {
  const incoming = workflow.edges.filter(edge => edge.to === node.id).length;
  if (incoming === 0) {
    return 'with the run';
  }
  return node.convergence === 'any' ? 'any incoming edge taken' : 'all incoming edges taken';
}

function render(workflow) {
  document.title = workflow.name + ' · charon-jobs';
  byId('workflow-name').textContent = workflow.name;
  byId('workflow-description').textContent = workflow.description || '';
  byId('workflow-facts').replaceChildren(...fact('Version', String(workflow.version)),
      ...fact('Launched by', workflow.allowedUsers && workflow.allowedUsers.length ? list(workflow.allowedUsers) : 'any operator'),
      ...fact('Created', formatTime(workflow.createdAt) + ' by ' + workflow.createdBy),
      ...fact('Updated', workflow.updatedAt ? formatTime(workflow.updatedAt) + ' by ' + workflow.updatedBy : ''));
  new WorkflowGraph(byId('graph'), workflow.nodes, workflow.edges, {
    node: node => startsWhen(workflow, node), edge: () => '', href: () => null,
  });
  document.querySelector('#nodes tbody').replaceChildren(...workflow.nodes.map(node => el('tr', { 'data-node': node.id },
      el('th', { scope: 'row' }, node.id), el('td', {}, node.template || node.type || ''),
      el('td', {}, Object.entries(node.parameters || {}).map(([key, value]) => key + '=' + JSON.stringify(value)).join(', ')),
      el('td', {}, startsWhen(workflow, node)))));
  document.querySelector('#edges tbody').replaceChildren(...workflow.edges.map(edge => el('tr', {},
      el('td', {}, edge.from), el('td', {}, edge.to), el('td', {}, edge.on || 'success'), el('td', { class: 'code' }, edge.when || ''))));
}

async function loadRuns() {
  const runs = await api('/workflows/' + encodeURIComponent(name) + '/runs?limit=' + RECENT);
  document.querySelector('#runs tbody').replaceChildren(...runs.map(run => el('tr', { 'data-run': run.id },
      el('td', {}, runLink(run)), el('td', {}, statusBadge(run.status)), el('td', {}, run.workflowVersion),
      el('td', {}, run.userId), el('td', {}, formatTime(run.createdAt)), el('td', {}, formatTime(run.endedAt)),
      el('td', {}, run.message || ''))));
  byId('runs-empty').hidden = runs.length > 0;
}

start(async () => {
  const button = byId('launch-workflow');
  button.addEventListener('click', () => launch(name, button));
  render(await api('/workflows/' + encodeURIComponent(name)));
  const reloadRuns = throttle(() => loadRuns().catch(showError), 1000);
  await loadRuns();
  stream('/events?type=' + WORKFLOW_EVENTS.filter(type => !type.startsWith('workflow.node.')).join(','), message => {
    const event = runOf(message);
    if (event && event.workflow === name) {
      reloadRuns();
    }
  }, { onOpen: reloadRuns });
});
