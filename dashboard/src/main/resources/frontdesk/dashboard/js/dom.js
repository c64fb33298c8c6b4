// Building DOM: h() makes elements; API data is only ever set as text, never parsed as HTML.
// Absent values (null, undefined) are never rendered: h() skips them, show() turns them into "—".

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value' && (tag === 'input' || tag === 'textarea')) el.value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children, skipping absent ones (so a missing optional part leaves no "null" behind). */
export function append(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false || c === '') continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const ABSENT = '—';

/** A value as text: null, undefined, NaN and empty strings become "—". */
export function show(v, fallback = ABSENT) {
  if (v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) return fallback;
  if (Array.isArray(v)) return v.length ? v.map(x => show(x)).join(', ') : fallback;
  return String(v);
}

/** An empty state: says what is missing and what to do next (an optional link or button). */
export function empty(text, action) {
  return h('div', { class: 'empty' }, h('p', {}, text), action || null);
}

export function badge(text, kind) {
  return h('span', { class: 'badge ' + (kind || '') }, text);
}

/** A link styled as a small button. */
export function linkButton(href, text, attrs) {
  return h('a', { class: 'button', href, ...(attrs || {}) }, text);
}

/**
 * A table. columns: [header, row => cell] pairs. With onRow, rows can be opened by click or by
 * Enter/Space when focused. It sits in a wrapper that scrolls sideways by itself if it must, so
 * the page never does.
 */
export function table(columns, rows, opts) {
  const o = opts || {};
  const body = h('tbody', {}, rows.map(r => {
    const open = o.onRow ? () => o.onRow(r) : null;
    const tr = h('tr', open ? {
      class: 'clickable', tabindex: '0',
      onclick: e => { if (!e.target.closest('a, button, input, select, textarea, label')) open(); },
      onkeydown: e => { if ((e.key === 'Enter' || e.key === ' ') && e.target === tr) { e.preventDefault(); open(); } },
    } : {}, columns.map(c => h('td', { 'data-label': c[0] }, cell(c[1](r)))));
    return tr;
  }));
  return h('div', { class: 'table-wrap' }, h('table', { class: o.class || null },
    o.caption ? h('caption', {}, o.caption) : null,
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c[0])))), body));
}

function cell(v) {
  if (v instanceof Node) return v;
  if (Array.isArray(v)) return v;
  return show(v);
}

/** A titled block of a page. */
export function section(title, ...content) {
  return h('section', {}, h('h2', {}, title), content);
}

/** Key/value pairs as a definition list; absent values show "—". */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v instanceof Node ? v : show(v))]));
}

/** Stops a click on a control inside a clickable row from opening the row. */
export function button(label, onclick, attrs) {
  return h('button', { type: 'button', ...(attrs || {}), onclick: e => { e.stopPropagation(); onclick(e); } }, label);
}
