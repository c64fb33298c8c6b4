// Live traffic: the last minute, second by second, from the live stream (SSE): requests and 5xx
// per second, p50/p99 latency, the status mix, top sites and targets; top paths of the last hour
// from the access log, refreshed while the page is open.

import { h, empty, table, section, show } from '../dom.js';
import { apiOr, API, enc } from '../api.js';
import { page, onLeave } from '../router.js';
import { ms, count } from '../format.js';
import { timeChart, zeroFilled } from '../charts.js';

const WINDOW = 60;
const PATHS_EVERY_MS = 10_000;

const logsOfSecond = t => '#/logs?from=' + enc(new Date(t * 1000).toISOString()) + '&to=' + enc(new Date((t + 1) * 1000).toISOString());

export async function livePage() {
  const history = await apiOr({ samples: [] }, '/live?seconds=' + WINDOW);
  const samples = new Map();
  for (const s of history.samples || []) samples.set(s.ts, s);
  const kpi = label => { const b = h('b', {}, '—'); return [h('div', { class: 'kpi' }, b, h('span', {}, label)), b]; };
  const [rpsBox, rps] = kpi('requests/s');
  const [errBox, err] = kpi('5xx/s');
  const [p50Box, p50] = kpi('p50 latency');
  const [p99Box, p99] = kpi('p99 latency');
  const [mixBox, mix] = kpi('2xx / 3xx / 4xx / 5xx');
  const rate = timeChart({ label: 'Requests and 5xx per second, last minute', unit: 'req/s',
    series: [{ label: 'Requests', color: '--chart-1' }, { label: '5xx', color: '--chart-bad' }], onPick: t => { location.hash = logsOfSecond(t); } });
  const latency = timeChart({ label: 'p50 and p99 latency, last minute', unit: 'ms',
    series: [{ label: 'p50', color: '--chart-1' }, { label: 'p99', color: '--chart-2' }], onPick: t => { location.hash = logsOfSecond(t); } });
  const sites = h('div', {});
  const targets = h('div', {});
  const paths = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const pathsUpdated = h('small', { class: 'muted' });
  page('Live traffic',
    h('div', { class: 'kpis', 'aria-live': 'off' }, rpsBox, errBox, p50Box, p99Box, mixBox),
    section('Requests per second', rate.el),
    section('Latency', latency.el),
    h('p', { class: 'muted small' }, 'Hover a chart for the values of a second; click it to open the log rows of that second.'),
    h('div', { class: 'grid2' }, section('Top sites (last second)', sites), section('Upstream targets (last second)', targets)),
    section('Top paths (last hour)', pathsUpdated, paths));
  onLeave(() => { rate.destroy(); latency.destroy(); });

  const draw = () => {
    const now = Math.floor(Date.now() / 1000) - 1;
    const newest = Math.max(now, ...samples.keys());
    for (const t of [...samples.keys()]) if (t <= newest - WINDOW) samples.delete(t);
    const points = [...samples.values()].map(s => ({ t: s.ts, requests: (s.all || {}).requests || 0, s5xx: (s.all || {}).s5xx || 0,
      p50: ((s.all || {}).p50 || 0) / 1000, p99: ((s.all || {}).p99 || 0) / 1000 }));
    const range = [newest - WINDOW + 1, newest];
    const [xs, req, e5, l50, l99] = zeroFilled(points, 1, ['requests', 's5xx', 'p50', 'p99'], range);
    rate.set([xs, req, e5]);
    latency.set([xs, l50, l99]);
    const last = (samples.get(newest) || samples.get(newest - 1) || {});
    const a = last.all || {};
    rps.textContent = count(a.requests || 0);
    err.textContent = count(a.s5xx || 0);
    p50.textContent = ms(a.p50 || 0);
    p99.textContent = ms(a.p99 || 0);
    mix.textContent = [a.s2xx, a.s3xx, a.s4xx, a.s5xx].map(x => x || 0).join(' / ');
    sites.replaceChildren((last.sites || []).length === 0 ? empty('No traffic in the last second.') : table([
      ['Site', x => h('a', { href: '#/logs?site=' + enc(x.name) + '&from=5m' }, x.name)],
      ['req/s', x => count(x.requests)], ['5xx', x => count(x.s5xx || 0)], ['p99', x => ms(x.p99 || 0)]], last.sites));
    targets.replaceChildren((last.targets || []).length === 0 ? empty('No upstream traffic in the last second.') : table([
      ['Target', x => h('code', {}, show(x.name))], ['req/s', x => count(x.requests)], ['5xx', x => count(x.s5xx || 0)],
      ['p99', x => ms(x.p99 || 0)]], last.targets));
  };

  const loadPaths = async () => {
    const st = await apiOr(null, '/logs/stats?from=1h');
    if (!paths.isConnected) return;
    if (!st) { paths.replaceChildren(empty('The access log cannot be read right now.')); return; }
    pathsUpdated.textContent = 'Updated ' + new Date().toLocaleTimeString() + ', every ' + PATHS_EVERY_MS / 1000 + ' s.';
    paths.replaceChildren((st.topPaths || []).length === 0 ? empty('No logged requests in the last hour. Send traffic through the proxy port.') : table([
      ['Path', x => h('a', { href: '#/logs?from=1h&pathPrefix=' + enc(String(x.path).split(':id')[0]) }, show(x.path))],
      ['Requests', x => count(x.requests)], ['Errors', x => count(x.errors || 0)]], st.topPaths.slice(0, 10)));
  };

  draw();
  loadPaths();
  const pathsTimer = setInterval(loadPaths, PATHS_EVERY_MS);
  // Redraws each second even when no sample arrives, so quiet seconds show as zero.
  const tick = setInterval(draw, 1000);
  const es = new EventSource(API + '/live/stream');
  es.addEventListener('sample', e => {
    const s = JSON.parse(e.data);
    samples.set(s.ts, s);
  });
  onLeave(() => { es.close(); clearInterval(tick); clearInterval(pathsTimer); });
}
