import { api, byId, start, may, showError } from './dashboard.js';

// Launching a raw job (admins). The API validates; its messages are shown beside the fields
// they name. A launch from a template will have its own form above this one.

const form = byId('launch-form');

function lines(text) {
  return text.split(/[\n,]/).map(s => s.trim()).filter(Boolean);
}

/** The submission the form describes; empty fields are left out so the service's defaults apply. */
function submission() {
  const value = name => form.elements[name].value.trim();
  const body = { name: value('name'), playbook: value('playbook') };
  if (value('inventory')) {
    body.inventory = lines(value('inventory'));
  }
  for (const name of ['inventoryRef', 'limit', 'queue', 'timeout', 'description']) {
    if (value(name)) {
      body[name] = value(name);
    }
  }
  body.priority = value('priority');
  if (value('maxRetries')) {
    body.maxRetries = Number(value('maxRetries'));
  }
  if (value('tags')) {
    body.tags = lines(value('tags'));
  }
  if (value('variables')) {
    body.variables = {};
    for (const line of value('variables').split('\n').filter(l => l.trim())) {
      const at = line.indexOf('=');
      body.variables[(at < 0 ? line : line.slice(0, at)).trim()] = at < 0 ? '' : line.slice(at + 1);
    }
  }
  return body;
}

function clearFieldErrors() {
  for (const node of form.querySelectorAll('.field-error')) {
    node.hidden = true;
    node.textContent = '';
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
  }
}

/** "variables.greeting" or "inventory[2]" belongs to the field "variables" or "inventory". */
function fieldOf(name) {
  return String(name).split(/[.[]/)[0];
}

function showFieldErrors(errors) {
  const general = byId('launch-error');
  const unplaced = [];
  for (const error of errors) {
    const slot = form.querySelector('.field-error[data-for="' + CSS.escape(fieldOf(error.field)) + '"]');
    if (!slot) {
      unplaced.push(error.field + ': ' + error.reason);
      continue;
    }
    slot.textContent = (slot.textContent ? slot.textContent + '; ' : '') + (error.field === fieldOf(error.field)
      ? error.reason : error.field + ': ' + error.reason);
    slot.hidden = false;
    const input = form.elements[fieldOf(error.field)];
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', slot.id);
    }
  }
  general.textContent = unplaced.length ? unplaced.join('; ') : 'Some fields need attention.';
  general.hidden = false;
}

start(() => {
  form.querySelectorAll('.field-error[data-for]').forEach(node => {
    node.id = 'error-' + node.dataset.for;
  });
  if (!may('admin')) {
    return;
  }
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearFieldErrors();
    byId('launch-error').hidden = true;
    try {
      const job = await api('/jobs', { method: 'POST', body: submission() });
      location.assign('/jobs/' + encodeURIComponent(job.id));
    } catch (e) {
      if (e.problem && e.problem.errors) {
        showFieldErrors(e.problem.errors);
      } else {
        showError(e);
      }
    }
  });
});
