import { api, el, showError } from './dashboard.js';

// What the workflow pages share: the workflow events they follow, launching a workflow
// (operators and admins: the new run's page opens; a refusal, such as a root's template refusing
// its launch, shows as the page's notice), links to runs.

export const WORKFLOW_EVENTS = ['workflow.started', 'workflow.node.started', 'workflow.node.waiting',
  'workflow.node.completed', 'workflow.node.failed', 'workflow.node.skipped', 'workflow.completed', 'workflow.failed',
  'workflow.cancelled', 'workflow.resumed'];
/** The states a run ends in; any other (running, or one added later) is under way. */
export const RUN_ENDED = ['completed', 'failed', 'cancelled'];

export async function launch(name, button) {
  button.disabled = true;
  try {
    const run = await api('/workflows/' + encodeURIComponent(name) + '/launch', { method: 'POST' });
    location.assign('/workflow-runs/' + encodeURIComponent(run.id));
  } catch (e) {
    button.disabled = false;
    showError(e);
  }
}

export function launchButton(name) {
  const button = el('button', { type: 'button', 'aria-label': 'Launch workflow ' + name, 'data-launch': name }, 'Launch');
  button.addEventListener('click', () => launch(name, button));
  return button;
}

export function runLink(run) {
  return el('a', { href: '/workflow-runs/' + encodeURIComponent(run.id) }, run.id);
}

/** The run and workflow a workflow event of the stream names, or null. */
export function runOf(message) {
  try {
    const event = JSON.parse(message.data);
    return event.data ? { run: event.data.workflowRun, workflow: event.data.workflow } : null;
  } catch (e) {
    return null;
  }
}
