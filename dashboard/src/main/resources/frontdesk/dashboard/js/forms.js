// Forms whose fields show the API's 400 field errors next to them, the same for creating and
// editing. A field: {name, label, type, value, options, help, placeholder, errorKeys, control}.
// name is the API's field path where there is one (match.pathPrefix); errorKeys lists more API
// paths that belong to the field. A group {legend, fields, collapsed, open} becomes a fieldset (or
// a <details> when collapsed, opened when one of its fields has an error).

import { h } from './dom.js';
import { ApiError } from './api.js';

let ids = 0;
const nextId = name => 'f-' + name.replace(/[^a-z0-9]/gi, '-') + '-' + (++ids);

/** '' → undefined, else the number (NaN stays NaN, so the API names the field). */
export const num = v => (v === '' || v === undefined || v === null ? undefined : Number(v));

/** The value for an input: absent → ''. */
export const val = v => (v === null || v === undefined ? '' : v);

export function form(items, submitLabel, onSubmit, opts) {
  const o = opts || {};
  const controls = []; // {keys, error, value(), showError?, details}
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const el = h('form', { class: 'card ' + (o.class || ''), novalidate: true, 'aria-label': o.label || null });

  const build = (list, parent, details) => {
    for (const f of list) {
      if (f.fields) {
        const box = f.collapsed
          ? h('details', { class: 'group', open: f.open || null }, h('summary', {}, f.legend))
          : h('fieldset', { class: 'group' }, h('legend', {}, f.legend));
        if (f.help) box.append(h('p', { class: 'muted small' }, f.help));
        const inner = h('div', { class: f.layout === 'row' ? 'row' : 'stack' });
        box.append(inner);
        build(f.fields, inner, f.collapsed ? box : details);
        parent.append(box);
        continue;
      }
      parent.append(field(f, controls, details));
    }
  };
  const body = h('div', { class: o.layout === 'row' ? 'row' : 'stack' });
  build(items, body, null);
  el.append(body, formError);
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  el.append(h('div', { class: 'actions' }, submit,
    o.cancel ? h('button', { type: 'button', onclick: o.cancel }, o.cancelLabel || 'Cancel') : null,
    o.extra || null));

  const clear = () => {
    controls.forEach(c => {
      c.error.textContent = '';
      if (c.input) c.input.removeAttribute('aria-invalid');
      if (c.clear) c.clear();
    });
    formError.textContent = '';
  };
  const values = () => {
    const out = {};
    for (const c of controls) out[c.name] = c.value();
    return out;
  };
  /** Puts an API error next to the fields it names; what names no field goes above the buttons. */
  const showError = err => {
    clear();
    if (!(err instanceof ApiError)) { formError.textContent = String((err && err.message) || err); return; }
    const loose = [];
    for (const fe of err.fieldErrors) {
      const c = bestControl(controls, fe.field);
      if (c && c.showError && c.showError(fe.field, fe.message)) { reveal(c); continue; }
      if (c) {
        c.error.textContent += (c.error.textContent ? '; ' : '') + fe.message;
        c.input && c.input.setAttribute('aria-invalid', 'true');
        reveal(c);
      } else {
        loose.push((fe.field ? fe.field + ': ' : '') + fe.message);
      }
    }
    formError.textContent = err.message + (loose.length ? ' — ' + loose.join('; ') : '');
    const first = el.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
  };
  el.addEventListener('submit', async e => {
    e.preventDefault();
    clear();
    submit.disabled = true;
    try {
      await onSubmit(values(), el);
    } catch (err) {
      showError(err);
    } finally {
      submit.disabled = false;
    }
  });
  el.showError = showError;
  el.values = values;
  return el;
}

function reveal(c) {
  if (c.details) c.details.open = true;
}

/** The control whose keys name the API field exactly, or the longest that is a parent of it. */
function bestControl(controls, field) {
  let best = null;
  let bestLen = -1;
  for (const c of controls) {
    for (const k of c.keys) {
      const hit = field === k || field.startsWith(k + '.') || field.startsWith(k + '[');
      if (hit && k.length > bestLen) { best = c; bestLen = k.length; }
    }
  }
  return best;
}

function field(f, controls, details) {
  const id = nextId(f.name);
  const error = h('div', { class: 'error', id: id + '-err', 'aria-live': 'polite' });
  const help = f.help ? h('small', { class: 'muted', id: id + '-help' }, f.help) : null;
  const describedBy = (help ? id + '-help ' : '') + id + '-err';
  const keys = [f.name].concat(f.errorKeys || []);
  if (f.control) {
    // A composite control (a list of targets, header pairs, …) with its own inputs.
    controls.push({ name: f.name, keys, error, details, value: () => f.control.value(),
      showError: f.control.showError, clear: f.control.clear, input: null });
    return h('div', { class: 'field wide' }, h('span', { class: 'label', id }, f.label), help, f.control.el, error);
  }
  let input;
  if (f.type === 'select') {
    input = h('select', { id, name: f.name },
      f.options.map(o => {
        const [v, text] = Array.isArray(o) ? o : [o, o];
        return h('option', { value: v, selected: String(v) === String(f.value ?? '') }, text);
      }));
  } else if (f.type === 'textarea') {
    input = h('textarea', { id, name: f.name, rows: f.rows || 3, placeholder: f.placeholder, spellcheck: 'false' });
    input.value = f.value ?? '';
  } else if (f.type === 'checkbox') {
    input = h('input', { id, name: f.name, type: 'checkbox', checked: !!f.value });
  } else {
    input = h('input', { id, name: f.name, type: f.type || 'text', value: f.value ?? '', placeholder: f.placeholder,
      autocomplete: f.autocomplete || 'off', list: f.datalist ? id + '-list' : null, min: f.min, max: f.max,
      step: f.step, inputmode: f.inputmode });
  }
  input.setAttribute('aria-describedby', describedBy);
  if (f.onchange) input.addEventListener('change', () => f.onchange(input.type === 'checkbox' ? input.checked : input.value));
  controls.push({ name: f.name, keys, error, input, details,
    value: () => (input.type === 'checkbox' ? input.checked : input.value) });
  const datalist = f.datalist ? h('datalist', { id: id + '-list' }, f.datalist.map(v => h('option', { value: v }))) : null;
  if (f.type === 'checkbox') {
    return h('div', { class: 'field check' }, h('label', { for: id }, input, ' ', f.label), help, error);
  }
  return h('div', { class: 'field' + (f.wide ? ' wide' : '') }, h('label', { for: id }, f.label), input, datalist, help, error);
}
