// Frontdesk dashboard: a small single-page app over the admin API (/api/v1). No build step, no
// framework: every page is a function that fetches what it shows and builds DOM nodes with h().
// Text from the API is only ever set as textContent, never parsed as HTML.
'use strict';

const API = '/api/v1';
const state = { me: null, csrf: null, live: null };

// ---------------------------------------------------------------------------------------------
// DOM and API helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  let res;
  try {
    res = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin' });
  } catch (e) {
    banner('The admin server is unreachable: ' + e.message);
    throw e;
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { message: text }; }
  if (res.status === 401 && path !== '/auth/login') {
    state.me = null;
    showLogin('Your session has ended; sign in again.');
    throw new ApiError(401, json);
  }
  if (res.status === 503) banner((json && json.message) || 'The database is unreachable.');
  if (!res.ok) throw new ApiError(res.status, json);
  banner(null);
  return json;
}

function banner(message) {
  const b = document.getElementById('banner');
  b.hidden = !message;
  b.textContent = message || '';
}

const main = () => document.getElementById('main');
const canEdit = () => state.me && state.me.role === 'admin';

function page(title, ...content) {
  const m = main();
  m.replaceChildren(h('h1', {}, title), ...content);
  m.focus({ preventScroll: true });
}

function empty(text) {
  return h('div', { class: 'empty' }, text);
}

function table(columns, rows, onRow) {
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c[0])))),
    h('tbody', {}, rows.map(r => h('tr', onRow ? { class: 'clickable', tabindex: '0', onclick: () => onRow(r),
      onkeydown: e => { if (e.key === 'Enter') onRow(r); } } : {}, columns.map(c => h('td', {}, c[1](r)))))));
}

// A form whose fields show the API's field errors next to them.
function form(fields, submitLabel, onSubmit) {
  const inputs = {};
  const errors = {};
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const el = h('form', { class: 'card', novalidate: true });
  for (const f of fields) {
    const id = 'f-' + f.name.replace(/[^a-z0-9]/gi, '-') + '-' + Math.random().toString(36).slice(2, 7);
    let input;
    if (f.type === 'select') {
      input = h('select', { id, name: f.name }, f.options.map(o => h('option', { value: o, selected: o === f.value }, o)));
    } else if (f.type === 'textarea') {
      input = h('textarea', { id, name: f.name, rows: f.rows || 3 }, f.value || '');
    } else if (f.type === 'checkbox') {
      input = h('input', { id, name: f.name, type: 'checkbox', checked: !!f.value });
    } else {
      input = h('input', { id, name: f.name, type: f.type || 'text', value: f.value ?? '', placeholder: f.placeholder,
        autocomplete: f.autocomplete });
    }
    inputs[f.name] = input;
    errors[f.name] = h('div', { class: 'error', id: id + '-err', 'aria-live': 'polite' });
    input.setAttribute('aria-describedby', id + '-err');
    el.append(h('div', { class: 'field' }, h('label', { for: id }, f.label), input, f.help ? h('small', { class: 'muted' }, f.help) : null, errors[f.name]));
  }
  el.append(formError, h('button', { type: 'submit', class: 'primary' }, submitLabel));
  el.addEventListener('submit', async e => {
    e.preventDefault();
    Object.values(errors).forEach(x => { x.textContent = ''; });
    formError.textContent = '';
    const values = {};
    for (const [k, i] of Object.entries(inputs)) values[k] = i.type === 'checkbox' ? i.checked : i.value;
    try {
      await onSubmit(values);
    } catch (err) {
      if (!(err instanceof ApiError)) { formError.textContent = String(err.message || err); return; }
      const list = err.body.errors || [];
      let placed = false;
      for (const fe of list) {
        const key = Object.keys(errors).find(k => fe.field === k || fe.field.startsWith(k + '.') || fe.field.startsWith(k + '['))
          || (fieldMap[fe.field.split(/[.[]/)[0]]);
        if (key && errors[key]) { errors[key].textContent += (errors[key].textContent ? '; ' : '') + fe.message; placed = true; }
      }
      formError.textContent = placed ? err.message : err.message + (list.length ? ': ' + list.map(x => x.field + ' ' + x.message).join('; ') : '');
    }
  });
  return el;
}
// API fields whose inputs are named differently in the forms.
const fieldMap = { targets: 'targets', match: 'pathPrefix', hosts: 'hosts' };

const lines = s => s.split(/[\n,]/).map(x => x.trim()).filter(Boolean);
const ms = micros => (micros / 1000).toFixed(micros < 10000 ? 2 : 0) + ' ms';
const when = iso => new Date(iso).toLocaleString();

// ---------------------------------------------------------------------------------------------
// Sign-in

function showLogin(message) {
  document.getElementById('top').hidden = true;
  stopLive();
  const m = main();
  m.replaceChildren(h('div', { class: 'login' }, h('h1', {}, 'Sign in to Frontdesk'),
    message ? h('p', { class: 'bad', role: 'alert' }, message) : null,
    form([
      { name: 'name', label: 'Account', value: 'admin', autocomplete: 'username' },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
    ], 'Sign in', async v => {
      const s = await api('POST', '/auth/login', { name: v.name, password: v.password });
      signedIn(s);
    })));
  const pw = m.querySelector('input[type=password]');
  if (pw) pw.focus();
}

function signedIn(s) {
  state.me = s;
  state.csrf = s.csrfToken;
  document.getElementById('top').hidden = false;
  document.getElementById('who').textContent = s.name + ' (' + s.role + ')';
  if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/sites';
  else route();
}

// ---------------------------------------------------------------------------------------------
// Sites

async function sitesPage() {
  const q = new URLSearchParams(location.hash.split('?')[1] || '').get('q') || '';
  const [data, demo] = await Promise.all([api('GET', '/sites?limit=200' + (q ? '&q=' + encodeURIComponent(q) : '')),
    api('GET', '/demo').catch(() => ({ exists: false }))]);
  const search = h('input', { type: 'search', 'aria-label': 'Search sites', placeholder: 'Search sites', value: q,
    onchange: e => { location.hash = '#/sites?q=' + encodeURIComponent(e.target.value); } });
  const list = data.items.length === 0
    ? empty(q ? 'No site matches.' : 'No sites yet — add one below.')
    : table([
      ['Name', s => h('span', {}, h('a', { href: '#/site/' + encodeURIComponent(s.name) }, s.name),
        demo.exists && s.name === demo.site ? h('span', { class: 'demo-tag', title: 'Made by the demo; remove it any time' }, ' demo') : null)],
      ['Hosts', s => s.hosts.join(', ')],
      ['State', s => s.enabled === false ? h('span', { class: 'badge warn' }, 'disabled') : h('span', { class: 'badge ok' }, 'enabled')],
    ], data.items, s => { location.hash = '#/site/' + encodeURIComponent(s.name); });
  const demoBox = !canEdit() ? null : demo.exists
    ? h('p', {}, h('span', { class: 'demo-tag' }, 'demo'), ' The demo site answers on the proxy port with two built-in backends. ',
      h('button', { type: 'button', onclick: async () => { await api('DELETE', '/demo'); route(); } }, 'Remove the demo'))
    : data.items.length === 0 && !q
      ? h('div', { class: 'card' }, h('p', {}, 'New here? The demo makes a site with two small built-in backends, so routing, ',
        'balancing, live traffic and the tracer have something to show.'),
      h('button', { type: 'button', class: 'primary', onclick: async () => { await api('POST', '/demo'); location.hash = '#/site/demo'; route(); } },
        'Create the demo'))
      : null;
  page('Sites', search, demoBox, list,
    canEdit() ? h('h2', {}, 'Add a site') : null,
    canEdit() ? form([
      { name: 'name', label: 'Name', placeholder: 'shop' },
      { name: 'hosts', label: 'Hosts', placeholder: 'shop.example.com, *.shop.example.com', help: 'Comma-separated; * for every host.' },
    ], 'Create site', async v => {
      await api('POST', '/sites', { name: v.name, hosts: lines(v.hosts) });
      location.hash = '#/site/' + encodeURIComponent(v.name);
    }) : null);
}

async function sitePage(name) {
  const site = await api('GET', '/sites/' + encodeURIComponent(name));
  const routes = await api('GET', '/routes?limit=200&site=' + encodeURIComponent(site.id));
  const items = routes.items.slice().sort((a, b) => (b.priority || 0) - (a.priority || 0));
  page('Site ' + site.name,
    h('p', {}, 'Hosts: ', site.hosts.join(', ')),
    canEdit() ? h('div', { class: 'row' },
      h('button', { type: 'button', onclick: async () => { await api('PATCH', '/sites/' + site.id, { enabled: site.enabled === false }); route(); } },
        site.enabled === false ? 'Enable' : 'Disable'),
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (!confirm('Delete site ' + site.name + ' and its routes?')) return;
        for (const r of items) await api('DELETE', '/routes/' + r.id);
        await api('DELETE', '/sites/' + site.id);
        location.hash = '#/sites';
      } }, 'Delete site')) : null,
    canEdit() ? form([
      { name: 'hosts', label: 'Hosts', value: site.hosts.join(', ') },
    ], 'Save hosts', async v => { await api('PATCH', '/sites/' + site.id, { hosts: lines(v.hosts) }); route(); }) : null,
    h('h2', {}, 'Routes, in the order they are tried'),
    items.length === 0 ? empty('No routes yet — add one on the Routes page.') : routeTable(items));
}

function matchText(m) {
  m = m || {};
  const parts = [];
  if (m.path) parts.push('= ' + m.path);
  else if (m.pathRegex) parts.push('~ ' + m.pathRegex);
  else parts.push((m.pathPrefix || '/') + '*');
  if (m.methods && m.methods.length) parts.push(m.methods.join('|'));
  if (m.headers && Object.keys(m.headers).length) parts.push(Object.entries(m.headers).map(([k, v]) => k + ': ' + v).join(', '));
  return parts.join(' ');
}

function routeTable(items) {
  return table([
    ['Name', r => h('a', { href: '#/route/' + encodeURIComponent(r.name) }, r.name)], ['Match', r => matchText(r.match)],
    ['Priority', r => String(r.priority || 0)],
    ['Upstream', r => h('a', { href: '#/upstreams' }, r.upstream)],
    ['', r => canEdit() ? h('button', { type: 'button', class: 'danger', 'aria-label': 'Delete route ' + r.name,
      onclick: async e => { e.stopPropagation(); await api('DELETE', '/routes/' + r.id); route(); } }, 'Delete') : ''],
  ], items);
}

// ---------------------------------------------------------------------------------------------
// Upstreams

async function upstreamsPage() {
  const [data, health] = await Promise.all([api('GET', '/upstreams?limit=200'), api('GET', '/health/upstreams').catch(() => ({ items: [] }))]);
  const byName = {};
  for (const u of health.items || []) byName[u.name] = u;
  const list = data.items.length === 0 ? empty('No upstreams yet — add one below.') : h('div', {}, data.items.map(u => {
    const hs = byName[u.name];
    const targets = (hs && hs.targets) || u.targets.map(t => ({ address: t.host + ':' + t.port, weight: t.weight }));
    const hc = u.healthCheck || {};
    const active = hc.active ? (hc.active.type === 'tcp' ? 'TCP connect' : (hc.active.method || 'GET') + ' ' + (hc.active.path || '/'))
      + ' every ' + (hc.active.intervalMs || 5000) + ' ms' : 'off';
    const passive = hc.passive && hc.passive.enabled === false ? 'off' : 'on';
    return h('div', { class: 'card' },
      h('h2', {}, u.name, ' ', h('span', { class: 'muted' }, '(' + (u.algorithm || 'weighted-round-robin') + ')')),
      h('p', { class: 'muted' }, 'Active checks: ' + active + '; passive checks: ' + passive
        + (hs ? '; ' + hs.healthyTargets + ' of ' + hs.targetCount + ' targets available' : '')),
      table([
        ['Target', t => t.address], ['Weight', t => String(t.weight)],
        ['Health', t => t.available === undefined ? h('span', { class: 'muted' }, 'no traffic yet')
          : t.available ? h('span', { class: 'badge ok' }, 'healthy') : h('span', { class: 'badge bad' }, 'down')],
        ['Active check', t => t.activeCheck ? String(t.activeCheck.verdict || t.activeCheck.lastResult || JSON.stringify(t.activeCheck)) : '—'],
        ['In flight', t => String(t.outstanding ?? t.inFlight ?? 0)],
        ['Latency', t => t.latencyMicros !== undefined ? ms(t.latencyMicros) : (t.ewmaMicros !== undefined ? ms(t.ewmaMicros) : '—')],
      ], targets),
      canEdit() ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        try { await api('DELETE', '/upstreams/' + u.id); route(); } catch (e) { alert(e.message); }
      } }, 'Delete upstream') : null);
  }));
  page('Upstreams', list,
    canEdit() ? h('h2', {}, 'Add an upstream') : null,
    canEdit() ? form([
      { name: 'name', label: 'Name', placeholder: 'app' },
      { name: 'targets', label: 'Targets', type: 'textarea', placeholder: '127.0.0.1:3000 weight=2', help: 'One host:port per line, optionally weight=N.' },
      { name: 'algorithm', label: 'Balancing', type: 'select', options: ['weighted-round-robin', 'round-robin', 'least-connections', 'p2c', 'consistent-hash', 'peak-ewma'] },
      { name: 'activePath', label: 'Active health check path', placeholder: '/health (empty: off)' },
    ], 'Create upstream', async v => {
      const targets = lines(v.targets.replace(/,/g, '\n')).map(l => {
        const [addr, ...opts] = l.split(/\s+/);
        const i = addr.lastIndexOf(':');
        const t = { host: addr.slice(0, i), port: Number(addr.slice(i + 1)) };
        for (const o of opts) if (o.startsWith('weight=')) t.weight = Number(o.slice(7));
        return t;
      });
      const body = { name: v.name, targets, algorithm: v.algorithm };
      if (v.activePath) body.healthCheck = { active: { type: 'http', path: v.activePath } };
      await api('POST', '/upstreams', body);
      route();
    }) : null);
}

// ---------------------------------------------------------------------------------------------
// Routes

async function routesPage() {
  const [routes, sites, ups] = await Promise.all([api('GET', '/routes?limit=500'), api('GET', '/sites?limit=500'), api('GET', '/upstreams?limit=500')]);
  const siteNames = sites.items.map(s => s.name);
  const upNames = ups.items.map(u => u.name);
  page('Routes',
    routes.items.length === 0 ? empty('No routes yet — a route sends a site\'s requests to an upstream.') : routeTable(routes.items),
    canEdit() && (siteNames.length === 0 || upNames.length === 0) ? h('p', { class: 'muted' }, 'Create a site and an upstream first.') : null,
    canEdit() && siteNames.length && upNames.length ? h('h2', {}, 'Add a route') : null,
    canEdit() && siteNames.length && upNames.length ? form([
      { name: 'name', label: 'Name', placeholder: 'api' },
      { name: 'site', label: 'Site', type: 'select', options: siteNames },
      { name: 'upstream', label: 'Upstream', type: 'select', options: upNames },
      { name: 'pathPrefix', label: 'Path prefix', value: '/' },
      { name: 'methods', label: 'Methods', placeholder: 'GET, POST (empty: any)' },
      { name: 'priority', label: 'Priority', type: 'number', value: '0' },
      { name: 'stripPrefix', label: 'Strip the prefix', type: 'checkbox' },
    ], 'Create route', async v => {
      const match = { pathPrefix: v.pathPrefix };
      if (v.methods.trim()) match.methods = lines(v.methods).map(m => m.toUpperCase());
      await api('POST', '/routes', { name: v.name, site: v.site, upstream: v.upstream, match, priority: Number(v.priority || 0),
        stripPrefix: v.stripPrefix });
      route();
    }) : null);
}


// ---------------------------------------------------------------------------------------------
// A route's effective chain: its global, site and route filter bindings in the order they run.
// Reordering (drag and drop, or the arrow buttons) gives the bindings priorities 100, 200, ….

async function routePage(name) {
  const r = await api('GET', '/routes/' + encodeURIComponent(name));
  const plugins = (await api('GET', '/plugins')).items.filter(p => (p.extensions || []).includes('filter'));
  const defaults = {};
  plugins.forEach(p => { defaults[p.id] = p.defaultPriority; });
  const all = (await Promise.all(plugins.map(p => api('GET', '/plugins/' + encodeURIComponent(p.id) + '/bindings?limit=500')
    .then(b => b.items).catch(() => [])))).flat();
  const chain = all.filter(b => b.enabled !== false && (b.scope === 'global' || (b.scope === 'site' && b.target === r.site)
    || (b.scope === 'route' && b.target === r.name)))
    .map(b => ({ ...b, effective: b.priority ?? defaults[b.plugin] ?? 0 }))
    .sort((a, b) => a.effective - b.effective || a.plugin.localeCompare(b.plugin));
  const list = h('ol', { class: 'chain', 'aria-label': 'Filters in the order they run on the way in' });
  const save = async order => {
    for (let i = 0; i < order.length; i++) {
      const b = order[i];
      const p = (i + 1) * 100;
      if (b.effective !== p) await api('PATCH', '/plugins/' + encodeURIComponent(b.plugin) + '/bindings/' + b.id, { priority: p });
    }
    route();
  };
  let dragged = null;
  chain.forEach((b, i) => {
    const move = d => { const o = chain.slice(); const [x] = o.splice(i, 1); o.splice(i + d, 0, x); save(o); };
    const li = h('li', { class: 'card', draggable: canEdit() ? 'true' : null, 'data-plugin': b.plugin },
      h('b', {}, b.plugin), ' ', h('span', { class: 'muted' }, b.scope + (b.target ? ' ' + b.target : '') + ', priority ' + b.effective),
      canEdit() ? h('span', {}, ' ',
        h('button', { type: 'button', 'aria-label': 'Move ' + b.plugin + ' earlier', disabled: i === 0, onclick: () => move(-1) }, '↑'), ' ',
        h('button', { type: 'button', 'aria-label': 'Move ' + b.plugin + ' later', disabled: i === chain.length - 1, onclick: () => move(1) }, '↓')) : null);
    li.addEventListener('dragstart', () => { dragged = i; });
    li.addEventListener('dragover', e => e.preventDefault());
    li.addEventListener('drop', e => { e.preventDefault(); if (dragged === null || dragged === i) return;
      const o = chain.slice(); const [x] = o.splice(dragged, 1); o.splice(i, 0, x); save(o); });
    list.append(li);
  });
  page('Route ' + r.name,
    h('p', {}, 'Site ', h('a', { href: '#/site/' + encodeURIComponent(r.site) }, r.site), ', ', matchText(r.match), ' → upstream ', r.upstream),
    h('h2', {}, 'Filter chain'),
    chain.length === 0 ? empty('No plugin runs on this route. Bind one on the Plugins page.') : list,
    chain.length ? h('p', { class: 'muted' }, 'Earlier filters see the request first and the response last. A global or site binding moves for every route that shares it.') : null);
}

// ---------------------------------------------------------------------------------------------
// Plugins

async function pluginsPage() {
  const [data, cost] = await Promise.all([api('GET', '/plugins'), api('GET', '/logs/plugin-cost?from=1h').catch(() => ({ items: [] }))]);
  const upload = h('form', { class: 'card' },
    h('div', { class: 'field' }, h('label', { for: 'jar' }, 'Install a plugin jar'), h('input', { id: 'jar', type: 'file', accept: '.jar' })),
    h('div', { class: 'form-error', role: 'alert' }),
    h('button', { type: 'submit', class: 'primary' }, 'Upload'));
  upload.addEventListener('submit', async e => {
    e.preventDefault();
    const file = upload.querySelector('input[type=file]').files[0];
    const err = upload.querySelector('.form-error');
    err.textContent = '';
    if (!file) { err.textContent = 'Choose a .jar file first.'; return; }
    const body = new FormData();
    body.append('file', file, file.name);
    const res = await fetch(API + '/plugins', { method: 'POST', body, headers: { 'X-CSRF-Token': state.csrf || '' }, credentials: 'same-origin' });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) { err.textContent = json.message || ('HTTP ' + res.status); return; }
    route();
  });
  page('Plugins', canEdit() ? upload : null,
    h('h2', {}, 'Cost per request (last hour, from the access log)'),
    (cost.items || []).length === 0 ? empty('No plugin ran on logged requests in the last hour.') : table([
      ['Plugin', c => c.plugin], ['Runs', c => String(c.calls)], ['Average', c => c.avgMicros + ' µs'],
      ['p95', c => c.p95Micros + ' µs'], ['Did not continue', c => String(c.notContinued)],
    ], cost.items),
    h('h2', {}, 'Installed'),
    data.items.length === 0 ? empty('No plugins installed — drop a jar into the plugins folder.') : table([
      ['Plugin', p => p.id], ['Version', p => p.version || ''],
      ['State', p => h('span', { class: 'badge ' + (p.state === 'STARTED' ? 'ok' : p.state === 'FAILED' ? 'bad' : 'warn') }, p.state)],
      ['Priority', p => String(p.defaultPriority ?? '')],
      ['Errors (this node)', p => p.stats ? (p.stats.errors + p.stats.timeouts) + ' of ' + p.stats.calls : ''],
      ['Problem', p => p.reason || ''],
    ], data.items, p => { location.hash = '#/plugin/' + encodeURIComponent(p.id); }));
}

// A configuration form generated from a plugin's JSON Schema: strings, numbers, booleans, enums and
// string lists get inputs; anything else is edited as JSON.
function schemaFields(schema) {
  const props = (schema && schema.properties) || {};
  return Object.entries(props).map(([name, p]) => {
    const help = p.description || '';
    if (p.enum) return { name, label: name, type: 'select', options: [''].concat(p.enum.map(String)), help };
    if (p.type === 'boolean') return { name, label: name, type: 'checkbox', value: p.default === true, help };
    if (p.type === 'integer' || p.type === 'number') return { name, label: name, type: 'number', value: p.default ?? '', help, kind: 'number' };
    if (p.type === 'string') return { name, label: name, value: p.default ?? '', help };
    if (p.type === 'array' && p.items && (p.items.type === 'string' || p.items.enum)) {
      return { name, label: name, value: (p.default || []).join(', '), help: (help + ' Comma-separated.').trim(), kind: 'list' };
    }
    return { name, label: name + ' (JSON)', type: 'textarea', value: p.default !== undefined ? JSON.stringify(p.default) : '', help, kind: 'json' };
  });
}

function schemaValues(fields, values) {
  const out = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.type === 'checkbox') { out[f.name] = v; continue; }
    if (v === '' || v === undefined) continue;
    if (f.kind === 'number') out[f.name] = Number(v);
    else if (f.kind === 'list') out[f.name] = lines(v);
    else if (f.kind === 'json') out[f.name] = JSON.parse(v);
    else out[f.name] = v;
  }
  return out;
}

async function pluginPage(id) {
  const [p, bindings, sites, routes] = await Promise.all([api('GET', '/plugins/' + encodeURIComponent(id)),
    api('GET', '/plugins/' + encodeURIComponent(id) + '/bindings?limit=500').catch(() => ({ items: [] })),
    api('GET', '/sites?limit=500'), api('GET', '/routes?limit=500')]);
  const fields = schemaFields(p.configSchema || p.schema);
  const targets = ['global'].concat(sites.items.map(s => 'site:' + s.name), routes.items.map(r => 'route:' + r.name));
  page('Plugin ' + p.id,
    h('p', {}, 'Version ', p.version || '?', ' — ', p.state, p.reason ? ' — ' + p.reason : ''),
    h('h2', {}, 'Bindings'),
    bindings.items.length === 0 ? empty('Not bound anywhere: it does nothing yet.') : table([
      ['Scope', b => b.scope + (b.target ? ' ' + b.target : '')], ['Priority', b => String(b.priority ?? p.defaultPriority ?? '')],
      ['Config', b => JSON.stringify(b.config)],
      ['', b => canEdit() ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        await api('DELETE', '/plugins/' + encodeURIComponent(id) + '/bindings/' + b.id); route(); } }, 'Remove') : ''],
    ], bindings.items),
    canEdit() && p.state === 'STARTED' ? h('h2', {}, 'Enable it') : null,
    canEdit() && p.state === 'STARTED' ? form([{ name: '__where', label: 'Where', type: 'select', options: targets }].concat(fields),
      'Add binding', async v => {
        const [scope, target] = v.__where === 'global' ? ['global', undefined] : v.__where.split(/:(.*)/s);
        await api('POST', '/plugins/' + encodeURIComponent(id) + '/bindings', { scope, target, config: schemaValues(fields, v) });
        route();
      }) : null);
}

// ---------------------------------------------------------------------------------------------
// Live traffic

function stopLive() {
  if (state.live) { state.live.close(); state.live = null; }
}

function lineChart(canvas, series, colors) {
  const w = canvas.width = canvas.clientWidth * devicePixelRatio;
  const hgt = canvas.height = canvas.clientHeight * devicePixelRatio;
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, w, hgt);
  const max = Math.max(1, ...series.flat());
  series.forEach((s, i) => {
    g.strokeStyle = colors[i];
    g.lineWidth = 2 * devicePixelRatio;
    g.beginPath();
    s.forEach((v, x) => {
      const px = (x / Math.max(1, s.length - 1)) * w;
      const py = hgt - (v / max) * (hgt - 10) - 5;
      if (x === 0) g.moveTo(px, py); else g.lineTo(px, py);
    });
    g.stroke();
  });
  g.fillStyle = '#57606a';
  g.font = (11 * devicePixelRatio) + 'px sans-serif';
  g.fillText(String(Math.round(max)), 4, 12 * devicePixelRatio);
}

async function livePage() {
  const history = await api('GET', '/live?seconds=60').catch(() => ({ samples: [] }));
  const samples = (history.samples || []).slice(-60);
  const kpi = (label) => { const b = h('b', {}, '—'); return [h('div', { class: 'kpi' }, b, label), b]; };
  const [rpsBox, rps] = kpi('requests/s');
  const [errBox, err] = kpi('errors (5xx)/s');
  const [p50Box, p50] = kpi('p50');
  const [p99Box, p99] = kpi('p99');
  const [mixBox, mix] = kpi('status mix 2xx/3xx/4xx/5xx');
  const rate = h('canvas', { class: 'chart', id: 'live-rate', role: 'img', 'aria-label': 'Requests per second, last minute' });
  const lat = h('canvas', { class: 'chart', id: 'live-latency', role: 'img', 'aria-label': 'p50 and p99 latency, last minute' });
  const sites = h('div', {});
  const targets = h('div', {});
  const paths = h('div', {}, empty('Loading…'));
  page('Live traffic', h('div', { class: 'kpis' }, rpsBox, errBox, p50Box, p99Box, mixBox),
    h('h2', {}, 'Requests per second (blue) and 5xx (red)'), rate,
    h('h2', {}, 'Latency p50 (blue) and p99 (orange), ms'), lat,
    h('h2', {}, 'Top sites'), sites, h('h2', {}, 'Top paths (last hour)'), paths, h('h2', {}, 'Upstream targets'), targets,
    h('p', { class: 'muted' }, 'Click a point of a chart to see the log rows of that second.'));
  const draw = () => {
    const a = samples.map(s => s.all || {});
    lineChart(rate, [a.map(x => x.requests || 0), a.map(x => x.s5xx || 0)], ['#0550ae', '#a40e26']);
    lineChart(lat, [a.map(x => (x.p50 || 0) / 1000), a.map(x => (x.p99 || 0) / 1000)], ['#0550ae', '#bc4c00']);
    const last = a[a.length - 1] || {};
    rps.textContent = String(last.requests || 0);
    err.textContent = String(last.s5xx || 0);
    p50.textContent = ms(last.p50 || 0);
    p99.textContent = ms(last.p99 || 0);
    mix.textContent = [last.s2xx, last.s3xx, last.s4xx, last.s5xx].map(x => x || 0).join(' / ');
    const s = samples[samples.length - 1] || {};
    sites.replaceChildren((s.sites || []).length === 0 ? empty('No traffic in the last second.') : table([
      ['Site', x => h('a', { href: '#/logs?site=' + encodeURIComponent(x.name) + '&from=5m' }, x.name)],
      ['req/s', x => String(x.requests)], ['5xx', x => String(x.s5xx || 0)], ['p99', x => ms(x.p99 || 0)]], s.sites));
    targets.replaceChildren((s.targets || []).length === 0 ? empty('No upstream traffic in the last second.') : table([
      ['Target', x => x.name], ['req/s', x => String(x.requests)], ['5xx', x => String(x.s5xx || 0)], ['p99', x => ms(x.p99 || 0)]], s.targets));
  };
  [rate, lat].forEach(c => c.addEventListener('click', e => {
    if (samples.length === 0) return;
    const i = Math.round(((e.offsetX) / c.clientWidth) * (samples.length - 1));
    const ts = samples[Math.max(0, Math.min(samples.length - 1, i))].ts;
    const iso = sec => new Date(sec * 1000).toISOString();
    location.hash = '#/logs?from=' + encodeURIComponent(iso(ts)) + '&to=' + encodeURIComponent(iso(ts + 1));
  }));
  api('GET', '/logs/stats?from=1h').then(st => {
    if (!document.body.contains(paths)) return;
    paths.replaceChildren((st.topPaths || []).length === 0 ? empty('No logged requests in the last hour.') : table([
      ['Path', x => h('a', { href: '#/logs?from=1h&pathPrefix=' + encodeURIComponent(String(x.path).split(':id')[0]) }, x.path)],
      ['Requests', x => String(x.requests)], ['Errors', x => String(x.errors || 0)]], st.topPaths.slice(0, 10)));
  }).catch(() => null);
  draw();
  stopLive();
  const es = new EventSource(API + '/live/stream');
  es.addEventListener('sample', e => {
    samples.push(JSON.parse(e.data));
    while (samples.length > 60) samples.shift();
    if (document.body.contains(rate)) draw(); else stopLive();
  });
  state.live = es;
}

// ---------------------------------------------------------------------------------------------
// Logs

const LOG_FILTERS = ['from', 'to', 'site', 'route', 'status', 'method', 'pathPrefix', 'pathContains', 'client', 'minDurationMs', 'requestId', 'q', 'sort'];

async function logsPage() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  if (!params.get('from')) params.set('from', '1h');
  const query = new URLSearchParams();
  for (const k of LOG_FILTERS) if (params.get(k)) query.set(k, params.get(k));
  query.set('limit', '50');
  if (params.get('cursor')) query.set('cursor', params.get('cursor'));
  const filters = form(LOG_FILTERS.filter(k => k !== 'to').map(k => ({ name: k, label: k, value: params.get(k) || '',
    type: k === 'sort' ? 'select' : 'text', options: ['time', 'duration'] })), 'Search', async v => {
    const p = new URLSearchParams();
    for (const [k, x] of Object.entries(v)) if (x) p.set(k, x);
    location.hash = '#/logs?' + p.toString();
  });
  filters.classList.add('row');
  let data;
  let problem = null;
  try { data = await api('GET', '/logs?' + query.toString()); } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    problem = h('p', { class: 'bad', role: 'alert' }, e.message, ': ', (e.body.errors || []).map(x => x.field + ' ' + x.message).join('; '));
    data = { items: [] };
  }
  const detail = h('div', {});
  const exportQuery = new URLSearchParams(query);
  exportQuery.delete('cursor');
  exportQuery.delete('limit');
  page('Logs', filters, problem,
    h('p', {}, 'Export: ', h('a', { href: API + '/logs/export?format=csv&' + exportQuery }, 'CSV'), ' · ',
      h('a', { href: API + '/logs/export?format=json&' + exportQuery }, 'JSON')),
    data.items.length === 0 ? empty('No requests match these filters in this time range.') : table([
      ['Time', r => when(r.timestamp)], ['Site', r => r.site || '—'], ['Method', r => r.method],
      ['Path', r => r.path], ['Status', r => h('span', { class: r.status >= 500 ? 'bad' : r.status >= 400 ? 'warn' : 'ok' }, String(r.status))],
      ['Time taken', r => ms(r.durationMicros || 0)], ['Client', r => r.clientIp || ''],
    ], data.items, r => { detail.replaceChildren(h('h2', {}, 'Request ' + r.requestId), h('pre', {}, JSON.stringify(r, null, 2))); detail.scrollIntoView(); }),
    data.next ? h('button', { type: 'button', onclick: () => { params.set('cursor', data.next); location.hash = '#/logs?' + params; } }, 'Older →') : null,
    detail);
}

// ---------------------------------------------------------------------------------------------
// Request tracer

async function tracerPage() {
  const sites = await api('GET', '/sites?limit=500');
  const result = h('div', { 'aria-live': 'polite' });
  page('Request tracer',
    h('p', { class: 'muted' }, 'Sends a real request through this node\'s proxy and shows the proxy\'s own record of its way.'),
    sites.items.length === 0 ? empty('No sites yet — a traced request needs a site to go to.') : form([
      { name: 'site', label: 'Site', type: 'select', options: sites.items.map(s => s.name) },
      { name: 'method', label: 'Method', type: 'select', options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] },
      { name: 'path', label: 'Path', value: '/' },
      { name: 'headers', label: 'Headers', type: 'textarea', placeholder: 'Accept: application/json', help: 'One Name: value per line.' },
      { name: 'body', label: 'Body', type: 'textarea' },
    ], 'Send', async v => {
      const headers = {};
      for (const l of v.headers.split('\n')) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim()] = l.slice(i + 1).trim();
      }
      result.replaceChildren(h('p', { class: 'muted' }, 'Sending…'));
      const t = await api('POST', '/trace', { site: v.site, method: v.method, path: v.path, headers, body: v.body || undefined });
      showTrace(result, t);
    }), result);
}

function showTrace(target, t) {
  const steps = (t.trace && t.trace.steps) || [];
  const boxes = [h('div', { class: 'step', 'data-kind': 'client' }, h('b', {}, 'Client'), h('small', {}, t.request.method + ' ' + t.request.host + t.request.path))];
  for (const s of steps) {
    let title, detail;
    if (s.kind === 'route') { title = 'Route ' + (s.route || '—'); detail = 'site ' + (s.site || '—') + ' → ' + (s.upstream || '—') + (s.forwardPath ? ', path ' + s.forwardPath : ''); }
    else if (s.kind === 'filter') { title = s.plugin + ' (' + s.phase + ')'; detail = s.outcome + ', ' + s.micros + ' µs' + (s.attributes && Object.keys(s.attributes).length ? ', ' + Object.entries(s.attributes).map(([k, x]) => k + '=' + x).join(', ') : ''); }
    else if (s.kind === 'upstream') { title = 'Backend ' + s.target; detail = 'upstream ' + s.upstream + ', attempt ' + s.attempt; }
    else if (s.kind === 'retry') { title = 'Retry'; detail = s.failedTarget + ': ' + s.what; }
    else if (s.kind === 'response') { title = 'Response ' + s.status; detail = 'at ' + ms(s.atMicros); }
    else { title = s.kind; detail = ''; }
    boxes.push(h('div', { class: 'step' + (s.kind === 'retry' || (s.kind === 'response' && s.status >= 500) ? ' fail' : ''), 'data-kind': s.kind },
      h('b', {}, title), h('small', {}, detail), h('small', {}, '+' + ms(s.atMicros || 0))));
  }
  const flow = h('div', { class: 'flow', role: 'list', 'aria-label': 'The request\'s way' });
  boxes.forEach((b, i) => { b.setAttribute('role', 'listitem'); if (i) flow.append(h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→')); flow.append(b); });
  const r = t.response;
  target.replaceChildren(h('h2', {}, 'Its way through Frontdesk (' + ms(t.trace.durationMicros || 0) + ')'), flow,
    h('h2', {}, 'Response ' + r.status), table([['Header', x => x[0]], ['Value', x => x[1]]], Object.entries(r.headers)),
    h('pre', {}, r.body + (r.truncated ? '\n… (' + r.bodyBytes + ' bytes)' : '')),
    h('p', {}, h('a', { href: '#/logs?requestId=' + encodeURIComponent(t.trace.requestId) }, 'This request in the access log')));
  boxes.forEach((b, i) => setTimeout(() => b.classList.add('shown'), 150 * i));
}

// ---------------------------------------------------------------------------------------------
// Nodes, history

async function nodesPage() {
  const data = await api('GET', '/nodes');
  page('Nodes', data.items.length === 0 ? empty('No nodes have reported yet.') : table([
    ['Node', n => n.id], ['Alive', n => n.alive ? h('span', { class: 'badge ok' }, 'alive') : h('span', { class: 'badge bad' }, 'silent')],
    ['Config version', n => h('span', { class: n.upToDate ? 'ok' : 'warn' }, String(n.configVersion) + (n.upToDate ? ' (current)' : ' (behind)'))],
    ['Uptime', n => Math.round(n.uptimeSeconds / 60) + ' min'], ['Version', n => n.version || ''],
    ['Traffic', n => n.info && n.info.requestsPerSecond !== undefined ? n.info.requestsPerSecond + ' req/s' : ''],
  ], data.items));
}

async function historyPage() {
  const data = await api('GET', '/history?limit=50');
  const diffBox = h('div', {});
  page('History', data.items.length === 0 ? empty('No changes yet.') : table([
    ['Version', c => String(c.version)], ['When', c => when(c.changedAt)], ['Who', c => c.actor], ['What', c => c.action],
    ['', c => h('span', {},
      h('button', { type: 'button', onclick: async e => { e.stopPropagation(); await showDiff(diffBox, c.version); } }, 'Diff'), ' ',
      canEdit() ? h('button', { type: 'button', 'aria-label': 'Roll back to version ' + c.version, onclick: async e => {
        e.stopPropagation();
        if (!confirm('Restore the configuration of version ' + c.version + '? (recorded as a new change)')) return;
        await api('POST', '/history/' + c.version + '/rollback');
        route();
      } }, 'Roll back to this') : null)],
  ], data.items), diffBox);
}

async function showDiff(box, version) {
  const cur = await api('GET', '/history/' + version);
  const prev = version > 1 ? await api('GET', '/history/' + (version - 1)).catch(() => null) : null;
  const a = flatten((prev && prev.document) || {});
  const b = flatten(cur.document || {});
  const rows = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[k] !== b[k]) rows.push([k, a[k] === undefined ? '' : a[k], b[k] === undefined ? '' : b[k]]);
  }
  box.replaceChildren(h('h2', {}, 'Version ' + version + ' (' + cur.action + ' by ' + cur.actor + ')'),
    rows.length === 0 ? empty('No difference to the version before.') : table([['Field', r => r[0]], ['Before', r => r[1]], ['After', r => r[2]]], rows));
}

// Flattens a config document to "sites/shop/hosts": "[...]" pairs, keyed by names, not positions.
function flatten(doc) {
  const out = {};
  for (const [kind, list] of Object.entries(doc)) {
    if (!Array.isArray(list)) { out[kind] = JSON.stringify(list); continue; }
    for (const item of list) {
      const key = kind + '/' + (item.name || item.id);
      for (const [f, v] of Object.entries(item)) if (f !== 'id' && f !== 'createdAt' && f !== 'updatedAt') out[key + '/' + f] = JSON.stringify(v);
    }
  }
  return out;
}


// ---------------------------------------------------------------------------------------------
// Access: accounts, API tokens, your password

async function accessPage() {
  const admin = canEdit();
  const [users, tokens] = admin ? await Promise.all([api('GET', '/users'), api('GET', '/tokens')]) : [{ items: [] }, { items: [] }];
  page('Access',
    h('h2', {}, 'Your password'),
    state.me && state.me.csrfToken ? form([
      { name: 'current', label: 'Current password', type: 'password', autocomplete: 'current-password' },
      { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', help: 'At least 12 characters.' },
    ], 'Change password', async v => {
      await api('POST', '/auth/password', { current: v.current, password: v.password });
      showLogin('Password changed; sign in again.');
    }) : h('p', { class: 'muted' }, 'Signed in with a token.'),
    admin ? h('h2', {}, 'Accounts') : null,
    admin ? table([
      ['Name', u => u.name], ['Role', u => u.role], ['Since', u => when(u.createdAt)],
      ['', u => h('span', {},
        h('button', { type: 'button', onclick: async () => {
          try { await api('PATCH', '/users/' + encodeURIComponent(u.name), { role: u.role === 'admin' ? 'viewer' : 'admin' }); route(); }
          catch (e) { alert(e.message); }
        } }, u.role === 'admin' ? 'Make viewer' : 'Make admin'), ' ',
        h('button', { type: 'button', class: 'danger', 'aria-label': 'Remove account ' + u.name, onclick: async () => {
          if (!confirm('Remove the account ' + u.name + '?')) return;
          try { await api('DELETE', '/users/' + encodeURIComponent(u.name)); route(); } catch (e) { alert(e.message); }
        } }, 'Remove'))],
    ], users.items) : null,
    admin ? form([
      { name: 'name', label: 'Account name' },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', help: 'At least 12 characters.' },
      { name: 'role', label: 'Role', type: 'select', options: ['viewer', 'admin'] },
    ], 'Add account', async v => { await api('POST', '/users', v); route(); }) : null,
    admin ? h('h2', {}, 'API tokens') : null,
    admin ? (tokens.items.length === 0 ? empty('No API tokens yet.') : table([
      ['Name', t => t.name], ['Role', t => t.role], ['Made by', t => t.createdBy], ['Last used', t => t.lastUsedAt ? when(t.lastUsedAt) : 'never'],
      ['', t => h('button', { type: 'button', class: 'danger', 'aria-label': 'Revoke token ' + t.name, onclick: async () => {
        await api('DELETE', '/tokens/' + encodeURIComponent(t.id)); route(); } }, 'Revoke')],
    ], tokens.items)) : null,
    admin ? form([
      { name: 'name', label: 'Token name', placeholder: 'ci' },
      { name: 'role', label: 'Token role', type: 'select', options: ['viewer', 'admin'] },
    ], 'Create token', async v => {
      const t = await api('POST', '/tokens', { name: v.name, role: v.role });
      await route(); // the list, with the new token in it
      main().append(h('div', { class: 'card', role: 'status' }, h('p', {}, 'The token ', h('b', {}, t.name),
        ' — copy it now, it is not shown again:'), h('pre', { id: 'new-token' }, t.token)));
    }) : null);
}

// ---------------------------------------------------------------------------------------------
// Routing

const PAGES = [
  [/^#\/sites/, sitesPage], [/^#\/site\/(.+)/, m => sitePage(decodeURIComponent(m[1]))], [/^#\/upstreams/, upstreamsPage],
  [/^#\/routes/, routesPage], [/^#\/route\/(.+)/, m => routePage(decodeURIComponent(m[1]))], [/^#\/plugins/, pluginsPage], [/^#\/plugin\/(.+)/, m => pluginPage(decodeURIComponent(m[1]))],
  [/^#\/live/, livePage], [/^#\/logs/, logsPage], [/^#\/tracer/, tracerPage], [/^#\/nodes/, nodesPage],
  [/^#\/history/, historyPage], [/^#\/access/, accessPage],
];

async function route() {
  if (!state.me) return;
  if (!location.hash.startsWith('#/live')) stopLive();
  const hash = location.hash || '#/sites';
  for (const a of document.querySelectorAll('header nav a')) {
    if (hash.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  for (const [re, fn] of PAGES) {
    const m = hash.match(re);
    if (m) {
      try { await fn(m); } catch (e) {
        if (e instanceof ApiError && e.status === 401) return;
        page('Something went wrong', h('p', { class: 'bad', role: 'alert' }, e.message));
      }
      return;
    }
  }
  location.hash = '#/sites';
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('signout').addEventListener('click', async () => {
    await api('POST', '/auth/logout').catch(() => null);
    state.me = null;
    state.csrf = null;
    showLogin('Signed out.');
  });
  try {
    const res = await fetch(API + '/auth/session', { credentials: 'same-origin' });
    if (res.ok) signedIn(await res.json()); else showLogin();
  } catch (e) {
    showLogin('The admin server is unreachable.');
  }
});
