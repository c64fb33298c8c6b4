// A composite form control: a list of rows with the same small inputs (an upstream's targets, a
// route's required headers), rows added and removed in place. The API's errors for one row's
// field ("targets[1].port") appear under that input.

import { h } from './dom.js';

let ids = 0;

/**
 * @param spec {path, columns: [{key, label, type, placeholder, width, options}], rows, addLabel, itemName}
 *   path: the API field the list is ("targets"), so errors "targets[i].key" find their input.
 */
export function rowList(spec) {
  const tbody = h('tbody');
  const rows = [];
  const listError = h('div', { class: 'error', 'aria-live': 'polite' });

  const addRow = data => {
    const n = ++ids;
    const inputs = {};
    const errors = {};
    const tr = h('tr');
    for (const c of spec.columns) {
      const id = 'rl-' + c.key + '-' + n;
      let input;
      if (c.type === 'select') {
        input = h('select', { id }, c.options.map(o => h('option', { value: o, selected: String(o) === String(data[c.key] ?? '') }, o)));
      } else if (c.type === 'checkbox') {
        input = h('input', { id, type: 'checkbox', checked: !!data[c.key] });
      } else {
        input = h('input', { id, type: c.type || 'text', value: data[c.key] ?? '', placeholder: c.placeholder,
          min: c.min, inputmode: c.type === 'number' ? 'numeric' : null, autocomplete: 'off' });
      }
      inputs[c.key] = input;
      errors[c.key] = h('div', { class: 'error', 'aria-live': 'polite' });
      tr.append(h('td', {}, h('label', { for: id, class: 'sr-only' }, c.label + ' of ' + spec.itemName + ' ' + (rows.length + 1)),
        input, errors[c.key]));
    }
    const row = { tr, inputs, errors };
    const remove = h('button', { type: 'button', class: 'small', 'aria-label': 'Remove this ' + spec.itemName,
      onclick: () => {
        rows.splice(rows.indexOf(row), 1);
        tr.remove();
        if (rows.length === 0 && spec.keepOne) addRow({});
      } }, 'Remove');
    tr.append(h('td', { class: 'row-actions' }, remove));
    rows.push(row);
    tbody.append(tr);
    return row;
  };
  (spec.rows && spec.rows.length ? spec.rows : spec.keepOne ? [{}] : []).forEach(addRow);

  const add = h('button', { type: 'button', class: 'small', onclick: () => {
    const r = addRow({});
    r.inputs[spec.columns[0].key].focus();
  } }, spec.addLabel);
  const el = h('div', { class: 'row-list' },
    h('div', { class: 'table-wrap' }, h('table', { class: 'compact' },
      h('thead', {}, h('tr', {}, spec.columns.map(c => h('th', { scope: 'col' }, c.label)), h('th', {}, h('span', { class: 'sr-only' }, 'Actions')))),
      tbody)),
    listError, add);

  return {
    el,
    focusable: () => (rows[0] ? Object.values(rows[0].inputs)[0] : add),
    /** The rows' values: blank rows are left out; numbers where the column is a number. */
    value: () => rows.map(r => {
      const o = {};
      for (const c of spec.columns) {
        const i = r.inputs[c.key];
        if (c.type === 'checkbox') { o[c.key] = i.checked; continue; }
        const v = i.value.trim();
        if (v === '') continue;
        o[c.key] = c.type === 'number' ? Number(v) : v;
      }
      return o;
    }).filter(o => spec.columns.some(c => c.type !== 'checkbox' && o[c.key] !== undefined)),
    clear: () => {
      listError.textContent = '';
      rows.forEach(r => {
        Object.values(r.errors).forEach(e => { e.textContent = ''; });
        Object.values(r.inputs).forEach(i => i.removeAttribute('aria-invalid'));
      });
    },
    showError: (field, message) => {
      const m = field.match(new RegExp('^' + spec.path.replace(/[.[\]]/g, '\\$&') + '\\[(\\d+)\\](?:\\.(\\w+))?'));
      const filled = rows.filter(r => spec.columns.some(c => c.type !== 'checkbox' && r.inputs[c.key].value.trim() !== ''));
      const row = m ? filled[Number(m[1])] : null;
      if (row) {
        const key = m[2] && row.errors[m[2]] ? m[2] : spec.columns[0].key;
        row.errors[key].textContent += (row.errors[key].textContent ? '; ' : '') + message;
        row.inputs[key].setAttribute('aria-invalid', 'true');
        return true;
      }
      listError.textContent += (listError.textContent ? '; ' : '') + message;
      return true;
    },
  };
}
