// The cache plugin's part of its page: statistics per binding (GET /plugins/cache/stats, redrawn
// every 10 s while the page is shown) and, for admins, a purge form (POST /plugins/cache/purge).

import { h, empty, table, section, show } from '../dom.js';
import { api, apiOr, canEdit } from '../api.js';
import { onLeave } from '../router.js';
import { form } from '../forms.js';
import { count, percent, bytes } from '../format.js';
import { where } from './filter-chain.js';

const REFRESH_MS = 10_000;
const STATS = '/plugins/cache/stats';

const KINDS = [
  ['url', 'URL', 'https://shop.example/a?x=1', 'every stored variant of this URL'],
  ['prefix', 'URL prefix', 'https://shop.example/img/', 'every stored URL that starts so'],
  ['surrogateKey', 'Surrogate key', 'product-42', 'every stored response tagged so in its Surrogate-Key field'],
];

function tier(t) {
  if (!t || t.enabled === false) return h('span', { class: 'muted' }, 'off');
  return count(t.entries) + ' · ' + bytes(t.bytes);
}

function statsTable(stats, bindings) {
  const byId = new Map(bindings.map(b => [b.id, b]));
  const name = s => (byId.has(s.binding) ? where(byId.get(s.binding)) : show(s.binding));
  return table([
    ['Binding', s => name(s)],
    ['Hit ratio', s => percent(s.hitRatio)],
    ['Hits / misses', s => count(s.hits) + ' / ' + count(s.misses)],
    ['Stores', s => count(s.stores)],
    ['Memory (entries · bytes)', s => tier(s.memory)],
    ['Disk (entries · bytes)', s => tier(s.disk)],
    ['Evictions', s => count((s.memory ? s.memory.evictions || 0 : 0) + (s.disk ? s.disk.evictions || 0 : 0))],
    ['Collapsed', s => count(s.collapsed)],
    ['Revalidations (background)', s => count(s.revalidations) + ' (' + count(s.backgroundRevalidations) + ')'],
  ], stats);
}

function statsContent(stats, bindings) {
  if (bindings.length === 0) {
    return empty(canEdit()
      ? 'Nothing is cached: the cache is not bound anywhere. Add a binding below (globally, for a site or a route) and its hits and misses show here.'
      : 'Nothing is cached: the cache is not bound anywhere. An admin can bind it globally, for a site or for a route.');
  }
  if (stats === null) return empty('The statistics could not be read from this node; they are tried again every 10 s.');
  if (stats.length === 0) {
    return empty('No statistics on this node yet: a binding starts counting once this node has applied it. Send a request through a bound route.');
  }
  return statsTable(stats, bindings);
}

function purgeAnswer(kind, answer) {
  const n = Number(answer && answer.purged) || 0;
  const what = n === 1 ? '1 stored URL' : count(n) + ' stored URLs';
  const label = KINDS.find(k => k[0] === kind)[1].toLowerCase();
  const reach = answer && answer.published
    ? ' Sent to every node sharing the database.'
    : ' ' + show(answer && answer.message, 'Only this node purged.');
  return 'Purged ' + what + ' on this node by ' + label + '.' + reach;
}

function purgeForm(bindings, afterPurge) {
  const result = h('p', { class: 'notice', role: 'status', hidden: true });
  const f = form([
    { name: 'kind', label: 'Purge by', type: 'select', options: KINDS.map(k => [k[0], k[1]]),
      onchange: v => hint(v) },
    { name: 'value', label: 'What to purge', placeholder: KINDS[0][2], help: KINDS[0][3],
      errorKeys: ['url', 'prefix', 'surrogateKey', 'body'] },
    { name: 'binding', label: 'Binding', type: 'select',
      options: [['', 'every binding']].concat(bindings.map(b => [b.id, where(b)])) },
  ], 'Purge', async v => {
    result.hidden = true;
    const body = { [v.kind]: v.value.trim() };
    if (v.binding) body.binding = v.binding;
    const answer = await api('POST', '/plugins/cache/purge', body);
    result.textContent = purgeAnswer(v.kind, answer);
    result.hidden = false;
    afterPurge();
  }, { label: 'Purge the cache', layout: 'row' });
  const input = f.querySelector('input[name="value"]');
  const help = input.parentElement.querySelector('small');
  function hint(kind) {
    const k = KINDS.find(x => x[0] === kind) || KINDS[0];
    input.placeholder = k[2];
    if (help) help.textContent = k[3];
  }
  return [f, result];
}

/** The cache's statistics and purge form, for the plugin page. */
export async function cachePanel({ bindings }) {
  const load = () => api('GET', STATS).then(r => (Array.isArray(r && r.bindings) ? r.bindings : []));
  const first = await apiOr(null, STATS).then(r => (r && Array.isArray(r.bindings) ? r.bindings : null));
  const holder = h('div', { class: 'cache-stats' }, statsContent(first, bindings));
  // A failed refresh keeps the last table (a 401 has already handed over to the sign-in form).
  const refresh = () => load().then(s => holder.replaceChildren(statsContent(s, bindings)), () => {});
  const timer = setInterval(refresh, REFRESH_MS);
  onLeave(() => clearInterval(timer));
  return [
    section('Cache statistics', h('p', { class: 'muted small' }, 'This node\'s counters since it started, refreshed every 10 s.'), holder),
    canEdit() && bindings.length > 0 ? section('Purge', purgeForm(bindings, refresh)) : null,
  ];
}
