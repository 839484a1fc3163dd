import {
  api, byId, caller, el, fact, formatTime, itemLink, start, stream, throttle, statusBadge, may, showError,
} from './dashboard.js';
import { WorkflowGraph } from './graph.js';
import { RUN_ENDED, WORKFLOW_EVENTS, runOf } from './workflow-parts.js';

// One workflow run: its graph with each node's state and each edge's outcome, reloaded whenever
// one of its workflow events arrives (no reload of the page), the nodes' jobs a click away, Cancel,
// the decisions of approval nodes and Resume of a failed run.

const id = decodeURIComponent(location.pathname.slice('/workflow-runs/'.length));
const runPath = '/workflow-runs/' + encodeURIComponent(id);
let graph = null;
let pollTimer = null;
const POLL_MILLIS = 2000;
/** The decision forms of waiting nodes, kept across redraws so that a comment being typed survives them. */
const decisionForms = new Map();
let formsMade = 0;

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

/** Whether the signed-in user may decide `node`: one of its approvers, or an admin (the API checks it again). */
function mayDecide(node) {
  const who = caller();
  return may('operator') && (may('admin') || node.approval.approvers.includes(who.userId));
}

/** A run's call that answers the run: drawn on success, the API's refusal shown as text in `error`. */
async function act(path, body, controls, error) {
  controls.forEach(control => { control.disabled = true; });
  try {
    render(await api(runPath + path, { method: 'POST', body }));
    error.hidden = true;
  } catch (e) {
    const fields = e.problem && e.problem.errors;
    error.textContent = fields ? fields.map(f => f.field + ': ' + f.reason).join('; ') : e.message;
    error.hidden = false;
  } finally {
    controls.forEach(control => { control.disabled = false; });
  }
}

/** Approve and Deny with an optional comment, for a waiting approval node. */
function decisionForm(node) {
  const key = 'decision-' + (++formsMade); // node ids may hold characters an element's id had better not
  const comment = el('input', { type: 'text', id: key + '-comment', maxlength: 1000, 'data-comment': node.id });
  const error = el('p', { class: 'field-error', id: key + '-error', role: 'status', hidden: true });
  comment.setAttribute('aria-describedby', error.id);
  const buttons = ['approve', 'deny'].map(verb => el('button', {
    type: 'button', 'data-decide': verb, 'aria-label': (verb === 'approve' ? 'Approve ' : 'Deny ') + node.id,
  }, verb === 'approve' ? 'Approve' : 'Deny'));
  buttons.forEach(button => button.addEventListener('click', () => act(
      '/nodes/' + encodeURIComponent(node.id) + '/' + button.dataset.decide,
      comment.value ? { comment: comment.value } : {}, [comment, ...buttons], error)));
  return el('div', { class: 'decision-form', 'data-decision-form': node.id },
      el('label', { for: comment.id }, 'Comment on ' + node.id + ' (optional)'), comment,
      el('div', { class: 'actions' }, ...buttons), error);
}

/** A decided approval as words: approved or denied, by whom, when, why. */
function decisionText(decision) {
  return decision.result + ' by ' + decision.by + ' at ' + formatTime(decision.at)
      + (decision.timedOut ? ' (timed out)' : '') + (decision.comment ? ': ' + decision.comment : '');
}

/**
 * What a node offers beside its state: for an approval, what it asks, who decides and until when,
 * then its decision, or (kept from one redraw to the next) Approve and Deny for those who may decide
 * while it waits.
 */
function nodeActions(node) {
  if (!node.approval) {
    return [];
  }
  const deciding = node.status === 'waiting' && mayDecide(node);
  if (deciding && !decisionForms.has(node.id)) {
    decisionForms.set(node.id, decisionForm(node));
  } else if (!deciding) {
    decisionForms.delete(node.id);
  }
  const facts = el('dl', { class: 'facts approval' }, ...fact('Asks', node.approval.description),
      ...fact('Approvers', node.approval.approvers.join(', ')),
      ...fact('Waiting until', node.status === 'waiting' ? formatTime(node.waitingUntil) : ''),
      ...fact('Decision', node.decision ? decisionText(node.decision) : ''));
  return deciding ? [facts, decisionForms.get(node.id)] : [facts];
}

/**
 * A node's row, updated in place: a row rebuilt, or moved, would take the focus (and the typing)
 * away from a comment field in it.
 */
function nodeRow(rows, node) {
  let row = rows.find(tr => tr.dataset.node === node.id);
  if (!row) {
    row = el('tr', { 'data-node': node.id }, el('th', { scope: 'row' }), el('td'), el('td'), el('td'), el('td'), el('td'),
        el('td', { class: 'actions-cell' }));
  }
  const [name, template, state, job, message, updated, actions] = row.children;
  name.textContent = node.id;
  template.textContent = node.template || (node.approval ? 'approval' : node.type) || '';
  state.replaceChildren(statusBadge(node.status));
  job.replaceChildren(node.jobId ? el('a', { href: jobHref(node) }, node.jobId) : '');
  message.textContent = node.message || '';
  updated.textContent = formatTime(node.updatedAt);
  const [facts, form] = nodeActions(node);
  if (form && form.parentNode === actions) {
    actions.firstChild.replaceWith(facts);
  } else {
    actions.replaceChildren(...[facts, form].filter(Boolean));
  }
  return row;
}

/** Each resume of the run: who resumed it, when, after what, which nodes it set back. */
function resumesList(run) {
  return (run.resumes || []).length === 0 ? null : el('ul', { class: 'resumes' }, ...run.resumes.map(resume => el('li', {},
      'attempt ' + resume.attempt + ': resumed by ' + resume.by + ' at ' + formatTime(resume.at)
      + (resume.message ? ' after ' + resume.message : '')
      + ((resume.nodes || []).length ? ' (set back: ' + resume.nodes.join(', ') + ')' : ''))));
}

function render(run) {
  document.title = run.workflow + ' run · charon-jobs';
  byId('run-name').replaceChildren(itemLink('workflows', run.workflow), ' run');
  byId('run-status').replaceChildren(statusBadge(run.status));
  byId('run-message').textContent = run.message || '';
  // its launcher or an admin: an approver sees the run to decide, not to cancel or resume it
  const ownsRun = may('admin') || caller().userId === run.userId;
  byId('cancel-run').hidden = !may('operator') || !ownsRun || RUN_ENDED.includes(run.status);
  byId('resume-run').hidden = !may('operator') || !ownsRun || run.status !== 'failed';
  // the event stream carries a user's own jobs' events only (an admin's: all), and a run's jobs are
  // its launcher's: anyone else who sees the run (an approver) has it read again while under way
  if (!ownsRun && !RUN_ENDED.includes(run.status) && !pollTimer) {
    pollTimer = setTimeout(() => {
      pollTimer = null;
      reload();
    }, POLL_MILLIS);
  }
  byId('run-facts').replaceChildren(...fact('Run', run.id), ...fact('Workflow version', String(run.workflowVersion)),
      ...fact('Launched by', run.userId), ...fact('Started', formatTime(run.createdAt)),
      ...fact('Ended', formatTime(run.endedAt)), ...fact('Attempt', String(run.attempt ?? 1)),
      ...fact('Resumes', resumesList(run)));
  if (!graph) {
    graph = new WorkflowGraph(byId('graph'), run.nodes, run.edges, {
      node: node => String(node.status ?? ''), edge: outcome, href: jobHref,
    });
  } else {
    graph.update(run.nodes, run.edges);
  }
  const body = document.querySelector('#nodes tbody');
  const shown = [...body.children];
  const rows = run.nodes.map(node => nodeRow(shown, node));
  if (rows.length !== shown.length || rows.some((row, i) => shown[i] !== row)) {
    body.replaceChildren(...rows);
  }
  document.querySelector('#edges tbody').replaceChildren(...run.edges.map(edge => el('tr', {
    'data-from': edge.from, 'data-to': edge.to,
  }, el('td', {}, edge.from), el('td', {}, edge.to), el('td', {}, edge.on || 'success'),
  el('td', { class: 'code' }, edge.when || ''), el('td', {}, statusBadge(edge.state)), el('td', {}, edge.message || ''))));
}

const reload = throttle(() => api(runPath).then(render).catch(showError), 300);

start(async () => {
  for (const [button, path] of [['cancel-run', '/cancel'], ['resume-run', '/resume']]) {
    byId(button).addEventListener('click', () => act(path, undefined, [byId(button)], byId('run-error')));
  }
  render(await api(runPath));
  // the run is read again once the stream is open (and after each reconnect), so that a step taken
  // between the first read and the subscription is not missed
  stream('/events?type=' + WORKFLOW_EVENTS.join(','), message => {
    const event = runOf(message);
    if (event && event.run === id) {
      reload();
    }
  }, { onOpen: reload });
});
