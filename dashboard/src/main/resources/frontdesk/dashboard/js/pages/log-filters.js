// The access-log filters: each API parameter with a human label, read from and written to the URL
// hash, so a reload or a shared link restores the same search.

import { form } from '../forms.js';

export const RANGES = [['5m', 'Last 5 minutes'], ['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['6h', 'Last 6 hours'],
  ['24h', 'Last 24 hours'], ['7d', 'Last 7 days']];

/** The API's filter parameters (besides from/to), in form order: [param, label, placeholder, help]. */
const MAIN = [
  ['status', 'Status', '404, 5xx'],
  ['pathPrefix', 'Path starts with', '/api'],
  ['q', 'Text in path or user agent', 'checkout'],
];
const MORE = [
  ['site', 'Site', 'shop'], ['route', 'Route', 'api'], ['upstream', 'Upstream', 'app'], ['target', 'Target', '10.0.0.5:8080'],
  ['method', 'Method', 'GET, POST'], ['pathContains', 'Path contains', 'order'], ['client', 'Client address', '203.0.113.0/24'],
  ['minDurationMs', 'Slower than (ms)', '500'], ['requestId', 'Request id', ''],
];
export const FILTER_PARAMS = ['from', 'to', 'sort', ...MAIN.map(x => x[0]), ...MORE.map(x => x[0])];

const text = ([name, label, placeholder], p, datalist) => ({ name, label, placeholder, value: p.get(name) || '', datalist });

/**
 * @param p the current parameters
 * @param names {sites, routes, upstreams} for suggestions
 * @param onSearch called with the new parameters
 */
export function logFilters(p, names, onSearch) {
  const from = p.get('from') || '1h';
  const custom = !RANGES.some(r => r[0] === from);
  const ranges = custom ? [[from, 'From ' + shortTime(from) + (p.get('to') ? ' to ' + shortTime(p.get('to')) : '')]].concat(RANGES) : RANGES;
  const moreSet = MORE.some(([n]) => p.get(n));
  const suggest = { site: names.sites, route: names.routes, upstream: names.upstreams };
  const el = form([
    { legend: 'Filters', layout: 'row', fields: [
      { name: 'from', label: 'Time range', type: 'select', options: ranges, value: from, errorKeys: ['to'] },
      ...MAIN.map(f => text(f, p)),
      { name: 'sort', label: 'Order', type: 'select', options: [['time', 'Newest first'], ['duration', 'Slowest first']], value: p.get('sort') || 'time' },
    ] },
    { legend: 'More filters', collapsed: true, open: moreSet, layout: 'row', fields: MORE.map(f => text(f, p, suggest[f[0]])) },
  ], 'Search', async v => {
    const next = new URLSearchParams();
    for (const k of FILTER_PARAMS) {
      const x = k === 'to' ? (v.from === from && custom ? p.get('to') : '') : (v[k] || '').trim();
      if (x && !(k === 'sort' && x === 'time')) next.set(k, x);
    }
    onSearch(next);
  }, { class: 'filters', label: 'Log filters' });
  return el;
}

function shortTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
