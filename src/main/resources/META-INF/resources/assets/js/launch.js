import { api, byId, el, start, may, showError } from './dashboard.js';

// Launching: from a stored template (operators), with a form made from its typed parameters, or
// a raw job (admins). The API validates; its messages are shown beside the fields they name.

const rawForm = byId('launch-form');
const templateForm = byId('template-form');
const templateSelect = byId('t-template');
let templates = [];

function lines(text) {
  return text.split(/[\n,]/).map(s => s.trim()).filter(Boolean);
}

/** The submission the raw form describes; empty fields are left out so the service's defaults apply. */
function submission() {
  const value = name => rawForm.elements[name].value.trim();
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
  body.mode = value('mode');
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

// ---- validation messages by field, for both forms ----------------------------------------------

function clearFieldErrors(form) {
  for (const node of form.querySelectorAll('.field-error')) {
    node.hidden = true;
    node.textContent = '';
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
  }
}

/**
 * The field an error belongs to: "variables.greeting" or "inventory[2]" to "variables" or
 * "inventory"; "parameters.regions[1]" to "parameters.regions" (one field per parameter).
 */
function fieldOf(name) {
  const parameter = /^parameters\.[A-Za-z0-9_]+/.exec(String(name));
  return parameter ? parameter[0] : String(name).split(/[.[]/)[0];
}

function showFieldErrors(form, general, errors) {
  const unplaced = [];
  for (const error of errors) {
    const field = fieldOf(error.field);
    const slot = form.querySelector('.field-error[data-for="' + CSS.escape(field) + '"]');
    if (!slot) {
      unplaced.push(error.field + ': ' + error.reason);
      continue;
    }
    slot.textContent = (slot.textContent ? slot.textContent + '; ' : '') + (error.field === field
      ? error.reason : error.field + ': ' + error.reason);
    slot.hidden = false;
    const input = form.querySelector('[data-field="' + CSS.escape(field) + '"]') || form.elements[field];
    if (input && input.matches('input, select, textarea')) {
      input.setAttribute('aria-invalid', 'true');
    }
  }
  general.textContent = unplaced.length ? unplaced.join('; ') : 'Some fields need attention.';
  general.hidden = false;
}

/** Sends a launch; on success opens the new job's page, on a 400 shows its messages by field. */
async function launch(form, general, path, body) {
  clearFieldErrors(form);
  general.hidden = true;
  try {
    const job = await api(path, { method: 'POST', body });
    location.assign('/jobs/' + encodeURIComponent(job.id));
  } catch (e) {
    if (e.problem && e.problem.errors) {
      showFieldErrors(form, general, e.problem.errors);
    } else {
      showError(e);
    }
  }
}

// ---- the form of a template's parameters ---------------------------------------------------------

/** What a parameter allows, in words: shown under its label. */
function rules(p) {
  const said = [];
  if (p.required) {
    said.push('required');
  }
  const unit = p.type === 'string' || p.type === 'secret' ? ' characters'
    : p.type === 'multichoice' ? ' picked' : '';
  if (p.min !== undefined && p.max !== undefined) {
    said.push(p.min + ' to ' + p.max + unit);
  } else if (p.min !== undefined) {
    said.push('at least ' + p.min + unit);
  } else if (p.max !== undefined) {
    said.push('at most ' + p.max + unit);
  }
  if (p.pattern) {
    said.push('matching ' + p.pattern);
  }
  if (p.type === 'secret') {
    said.push('kept sealed, never shown');
  }
  return [p.description, said.join(', ')].filter(Boolean).join(' · ');
}

function options(values, selected, blank) {
  const list = blank === null ? [] : [el('option', { value: '' }, blank)];
  return list.concat(values.map(v => el('option', { value: v, selected: v === selected }, v)));
}

/** The control of one parameter, by its type, with its default filled in. */
function control(p, id) {
  const given = p.default;
  const common = { id, name: 'p-' + p.name, 'data-field': 'parameters.' + p.name, spellcheck: 'false' };
  switch (p.type) {
    case 'integer':
    case 'number':
      return el('input', Object.assign(common, {
        type: 'number', step: p.type === 'integer' ? '1' : 'any', min: p.min, max: p.max,
        value: given === undefined || given === null ? null : String(given),
      }));
    case 'boolean':
      return el('select', common, ...options(['true', 'false'], given === undefined || given === null ? '' : String(given),
          given === undefined || given === null ? 'not set' : null));
    case 'choice':
      return el('select', common, ...options(p.choices || [], given ?? '', given === undefined || given === null
          ? (p.required ? 'choose one' : 'not set') : null));
    case 'secret':
      return el('input', Object.assign(common, { type: 'password', autocomplete: 'new-password' }));
    default:
      return el('input', Object.assign(common, { type: 'text', value: given ?? null }));
  }
}

function parameterField(p, index) {
  const id = 't-p-' + index;
  const hint = rules(p);
  const hintId = hint ? id + '-hint' : null;
  const errorId = id + '-error';
  const error = el('p', { class: 'field-error', id: errorId, 'data-for': 'parameters.' + p.name, hidden: true });
  const described = [hintId, errorId].filter(Boolean).join(' ');
  const hintNode = hint ? el('p', { class: 'hint', id: hintId }, hint) : null;
  if (p.type === 'multichoice') {
    const chosen = Array.isArray(p.default) ? p.default : [];
    const boxes = (p.choices || []).map((choice, i) => el('label', { class: 'check' },
        el('input', { type: 'checkbox', id: id + '-' + i, name: 'p-' + p.name, value: choice,
          checked: chosen.includes(choice) }), choice));
    return el('fieldset', { class: 'field', 'data-parameter': p.name, 'data-field': 'parameters.' + p.name,
      'aria-describedby': described }, el('legend', {}, p.name), hintNode, ...boxes, error);
  }
  const input = control(p, id);
  input.setAttribute('aria-describedby', described);
  return el('div', { class: 'field', 'data-parameter': p.name }, el('label', { for: id }, p.name), hintNode, input, error);
}

function currentTemplate() {
  return templates.find(t => t.name === templateSelect.value);
}

function drawParameters() {
  const template = currentTemplate();
  clearFieldErrors(templateForm);
  byId('template-error').hidden = true;
  byId('t-description').textContent = template ? template.description || '' : '';
  byId('t-parameters').replaceChildren(...(template ? template.parameters || [] : []).map(parameterField));
}

/** The launch the form describes: a value for each parameter filled in; those left empty take their default. */
function launchBody() {
  const template = currentTemplate();
  const parameters = {};
  for (const p of template.parameters || []) {
    if (p.type === 'multichoice') {
      const checked = [...templateForm.querySelectorAll('input[name="p-' + CSS.escape(p.name) + '"]:checked')]
        .map(box => box.value);
      // none checked: left out, unless that would bring back a default the user unchecked
      if (checked.length > 0 || (p.default !== undefined && p.default !== null)) {
        parameters[p.name] = checked;
      }
      continue;
    }
    const raw = templateForm.elements['p-' + p.name].value;
    if (raw === '') {
      continue;
    }
    if (p.type === 'integer' || p.type === 'number') {
      parameters[p.name] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    } else if (p.type === 'boolean') {
      parameters[p.name] = raw === 'true';
    } else {
      parameters[p.name] = raw;
    }
  }
  const body = { parameters, mode: byId('t-mode').value };
  if (byId('t-priority').value) {
    body.priority = byId('t-priority').value;
  }
  return body;
}

async function startTemplates() {
  templates = await api('/templates');
  byId('templates-empty').hidden = templates.length > 0;
  templateSelect.disabled = templates.length === 0;
  byId('template-submit').disabled = templates.length === 0;
  templateSelect.replaceChildren(...templates.map(t => el('option', { value: t.name }, t.name)));
  const asked = new URLSearchParams(location.search).get('template');
  if (asked && templates.some(t => t.name === asked)) {
    templateSelect.value = asked;
  }
  templateSelect.addEventListener('change', drawParameters);
  drawParameters();
  templateForm.addEventListener('submit', event => {
    event.preventDefault();
    if (currentTemplate()) {
      launch(templateForm, byId('template-error'),
          '/templates/' + encodeURIComponent(currentTemplate().name) + '/launch', launchBody());
    }
  });
}

start(async () => {
  rawForm.querySelectorAll('.field-error[data-for]').forEach(node => {
    node.id = 'error-' + node.dataset.for;
    const input = rawForm.elements[node.dataset.for];
    if (input) {
      input.setAttribute('aria-describedby', node.id);
    }
  });
  if (may('admin')) {
    rawForm.addEventListener('submit', event => {
      event.preventDefault();
      launch(rawForm, byId('launch-error'), '/jobs', submission());
    });
  }
  if (may('operator')) {
    await startTemplates();
  }
});
