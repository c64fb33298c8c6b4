// Upstreams: every pool with its targets' live state (refreshed every few seconds), an
// upstream's page with its settings, the routes that use it and its edit form.

import { h, empty, table, section, facts, button, show } from '../dom.js';
import { api, apiOr, canEdit, enc } from '../api.js';
import { page, onLeave, rerender, go } from '../router.js';
import { ms, duration, count } from '../format.js';
import { stateCell, lastCheckCell, ejectionCell, circuitCell, targetState } from '../target-state.js';
import { upstreamForm, algorithms } from './upstream-form.js';
import { routeTable } from './route-table.js';

const REFRESH_MS = 5000;

/** The targets' live state as a table. */
function targetTable(u, health) {
  const activeChecks = !!(u.healthCheck && u.healthCheck.active);
  const byAddress = {};
  for (const t of (health && health.targets) || []) byAddress[t.address] = t;
  const rows = u.targets.map(t => {
    const address = t.host.includes(':') ? '[' + t.host + ']:' + t.port : t.host + ':' + t.port;
    return { ...(byAddress[address] || {}), address, weight: t.weight };
  });
  return table([
    ['Target', t => h('code', {}, t.address)],
    ['Weight', t => String(t.weight)],
    ['State', t => stateCell(t, activeChecks)],
    ['Last active check', t => lastCheckCell(t, activeChecks)],
    ['Latency', t => (t.requests ? ms(t.latencyEwmaMicros) : h('span', { class: 'muted' }, 'no traffic yet'))],
    ['In flight', t => count(t.outstanding ?? 0)],
    ['Ejected', t => ejectionCell(t)],
    ['Circuit', t => circuitCell(t)],
  ], rows, { class: 'targets' });
}

function checkSummary(u) {
  const hc = u.healthCheck || {};
  const a = hc.active;
  const active = a ? (a.type === 'tcp' ? 'TCP connect' : show(a.method, 'GET') + ' ' + show(a.path, '/')) + ' every ' + duration(a.intervalMs || 5000) : 'off';
  const passive = hc.passive && hc.passive.enabled === false ? 'off' : 'on';
  return 'Active check: ' + active + ' · passive ejection: ' + passive;
}

function availability(health) {
  if (!health) return null;
  const tone = health.healthyTargets === 0 ? 'bad' : health.healthyTargets < health.targetCount ? 'warn' : 'ok';
  return h('span', { class: tone }, health.healthyTargets + ' of ' + health.targetCount + ' targets available');
}

/** Re-reads the health every few seconds and hands it to update, while the page is shown. */
function refreshHealth(path, update) {
  const timer = setInterval(async () => {
    const health = await apiOr(null, path);
    if (health) update(health);
  }, REFRESH_MS);
  onLeave(() => clearInterval(timer));
}

export async function upstreamsPage() {
  const [data, health, plugins] = await Promise.all([api('GET', '/upstreams?limit=1000'),
    apiOr({ items: [] }, '/health/upstreams'), canEdit() ? apiOr({ items: [] }, '/plugins') : { items: [] }]);
  const healthOf = h2 => Object.fromEntries((h2.items || []).map(x => [x.name, x]));
  let byName = healthOf(health);
  const boxes = {};
  const cards = data.items.map(u => {
    boxes[u.name] = { table: h('div', {}, targetTable(u, byName[u.name])), avail: h('span', {}, availability(byName[u.name])) };
    return h('article', { class: 'card', 'data-upstream': u.name },
      h('h2', {}, h('a', { href: '#/upstream/' + enc(u.name) }, u.name), ' ', h('span', { class: 'muted' }, '(' + show(u.algorithm) + ')')),
      h('p', { class: 'muted' }, checkSummary(u), ' · ', boxes[u.name].avail),
      boxes[u.name].table,
      canEdit() ? h('p', { class: 'actions' },
        h('a', { class: 'button small', href: '#/upstream/' + enc(u.name) + '?edit', 'aria-label': 'Edit upstream ' + u.name }, 'Edit'),
        deleteButton(u)) : null);
  });
  page('Upstreams',
    data.items.length === 0 ? empty(canEdit() ? 'No upstreams yet. An upstream is a pool of your backend servers (targets); add one below, then point a route at it.'
      : 'No upstreams yet. An admin can add one.') : h('div', {}, cards),
    data.items.length ? h('p', { class: 'muted small' }, 'Target states refresh every ' + REFRESH_MS / 1000 + ' s.') : null,
    canEdit() ? section('Add an upstream', upstreamForm(null, algorithms(plugins.items), u => go('#/upstream/' + enc(u.name)))) : null);
  refreshHealth('/health/upstreams', fresh => {
    byName = healthOf(fresh);
    for (const u of data.items) {
      boxes[u.name].table.replaceChildren(targetTable(u, byName[u.name]));
      boxes[u.name].avail.replaceChildren(availability(byName[u.name]) || '');
    }
  });
}

function deleteButton(u) {
  return button('Delete', async () => {
    if (!confirm('Delete upstream ' + u.name + '?')) return;
    try {
      await api('DELETE', '/upstreams/' + enc(u.id));
      go('#/upstreams');
    } catch (e) {
      alert(e.message);
    }
  }, { class: 'danger small', 'aria-label': 'Delete upstream ' + u.name });
}

export async function upstreamPage(name) {
  const u = await api('GET', '/upstreams/' + enc(name));
  const [health, routes, plugins] = await Promise.all([apiOr(null, '/upstreams/' + enc(u.name) + '/health'),
    apiOr({ items: [] }, '/routes?limit=1000'), canEdit() ? apiOr({ items: [] }, '/plugins') : { items: [] }]);
  const users = routes.items.filter(r => r.upstream === u.name);
  const hc = u.healthCheck || {};
  const tableBox = h('div', {}, targetTable(u, health));
  const avail = h('span', {}, availability(health));
  const down = ((health && health.targets) || []).map(t => targetState(t, !!hc.active)).filter(s => !['healthy', 'unknown', 'slow-start'].includes(s.state));
  const edit = canEdit() ? section('Edit upstream', upstreamForm(u, algorithms(plugins.items, u.algorithm),
    saved => (saved.name !== u.name ? go('#/upstream/' + enc(saved.name)) : rerender()))) : null;
  page('Upstream ' + u.name,
    facts([
      ['Balancing', show(u.algorithm)],
      ['Health', avail],
      ['Checks', checkSummary(u)],
      ['Timeouts', 'connect ' + duration(u.connectTimeoutMs) + ', read ' + duration(u.readTimeoutMs)],
      ['Retries', (u.retries && u.retries.attempts) ? u.retries.attempts + ' on ' + show(u.retries.retryOn) : 'off'],
      ['Circuit breaker', u.circuitBreaker && u.circuitBreaker.enabled ? 'opens after ' + u.circuitBreaker.failureThreshold + ' failures for ' + duration(u.circuitBreaker.openMs) : 'off'],
      health ? ['Now', health.requestsInFlight + ' in flight, ' + health.retries + ' retries, ' + health.ejectionsRefused + ' ejections refused'] : null,
    ]),
    down.length ? h('p', { class: 'notice bad', role: 'status' }, down.length + ' target(s) not taking traffic — the reason is in the State column.') : null,
    section('Targets', tableBox, h('p', { class: 'muted small' }, 'Refreshes every ' + REFRESH_MS / 1000 + ' s. Latency is a moving average of recent answers.')),
    section('Used by', users.length ? routeTable(users) : empty('No route sends requests here yet.', h('a', { class: 'button', href: '#/routes' }, 'Add a route'))),
    canEdit() ? h('p', { class: 'actions' }, h('a', { class: 'button', href: '#/upstream/' + enc(u.name) + '?edit' }, 'Edit this upstream'), deleteButton(u)) : null,
    edit);
  refreshHealth('/upstreams/' + enc(u.name) + '/health', fresh => {
    tableBox.replaceChildren(targetTable(u, fresh));
    avail.replaceChildren(availability(fresh) || '');
  });
  if (location.hash.includes('?edit') && edit) {
    edit.scrollIntoView({ block: 'start' });
    const first = edit.querySelector('input');
    if (first) first.focus({ preventScroll: true });
  }
}
