// The landing page: the last hour's traffic, error rate and p99, and everything that needs
// attention (targets down, failed plugins, nodes behind on config, certificates), each linking to
// the page where it is fixed.

import { h, empty, badge, section, show } from '../dom.js';
import { api, apiOr, ApiError, enc } from '../api.js';
import { page, onLeave } from '../router.js';
import { ms, count, percent, ago, when } from '../format.js';
import { timeChart, zeroFilled } from '../charts.js';
import { stateBadge } from '../target-state.js';

async function overview() {
  try {
    return await api('GET', '/overview');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export async function overviewPage() {
  const [ov, stats, sites] = await Promise.all([overview(), apiOr(null, '/logs/stats?from=1h'),
    apiOr({ items: [] }, '/sites?limit=1')]);
  const step = (stats && stats.bucketSeconds) || 60;
  const chart = timeChart({ label: 'Requests and 5xx errors per bucket of ' + step + ' s, last hour',
    unit: step === 60 ? 'req/min' : step === 3600 ? 'req/h' : 'req/' + step + ' s',
    series: [{ label: 'Requests', color: '--chart-1' }, { label: '5xx', color: '--chart-bad' }],
    onPick: t => { location.hash = '#/logs?from=' + enc(new Date(t * 1000).toISOString()) + '&to=' + enc(new Date((t + step) * 1000).toISOString()); } });
  onLeave(() => chart.destroy());

  const gettingStarted = sites.items.length === 0
    ? h('div', { class: 'card callout' }, h('h2', {}, 'Getting started'),
      h('p', {}, 'Frontdesk has no sites yet. A site answers for host names; its routes send requests to an upstream (your backend servers).'),
      h('p', {}, h('a', { class: 'button primary', href: '#/sites' }, 'Create a site or the demo'), ' ',
        h('a', { class: 'button', href: '#/upstreams' }, 'Add an upstream')))
    : null;

  page('Overview', gettingStarted,
    ov === null ? h('p', { class: 'notice', role: 'status' },
      'This admin server does not offer GET /api/v1/overview, so the summary of the last hour is not available.') : null,
    ov ? kpis(ov) : null,
    section('Traffic, last hour', stats && stats.buckets && stats.buckets.length ? chart.el
      : empty('No requests were logged in the last hour. Send traffic through the proxy port, or try the Tracer.',
        h('a', { class: 'button', href: '#/tracer' }, 'Open the Tracer'))),
    ov ? attention(ov) : null);

  if (stats && stats.buckets && stats.buckets.length) {
    const points = stats.buckets.map(b => ({ t: Date.parse(b.t) / 1000, requests: b.requests, errors: b.errors }));
    chart.set(zeroFilled(points, step, ['requests', 'errors'], [Date.parse(stats.from) / 1000, Date.parse(stats.to) / 1000 - step]));
  }
}

function kpis(ov) {
  const kpi = (label, value, href, tone) => h('a', { class: 'kpi ' + (tone || ''), href }, h('b', {}, value), h('span', {}, label));
  const rate = ov.errorRate;
  return h('div', { class: 'kpis', role: 'group', 'aria-label': 'Last hour' },
    kpi('requests in the last ' + (ov.window === '1h' ? 'hour' : show(ov.window, 'hour')), count(ov.requests), '#/logs?from=1h'),
    kpi('server errors (5xx)', percent(rate) + ' · ' + count(ov.errors5xx), '#/logs?from=1h&status=5xx',
      rate > 0.01 ? 'bad' : rate > 0 ? 'warn' : 'ok'),
    kpi('p99 latency', ov.p99Micros === null || ov.p99Micros === undefined ? '—' : ms(ov.p99Micros), '#/logs?from=1h&sort=duration'));
}

function attention(ov) {
  const down = ov.targetsDown || [];
  const failed = ov.pluginsFailed || [];
  const behind = ov.nodesBehind || [];
  const certs = ov.certificates || [];
  const ok = text => h('p', { class: 'all-good' }, badge('OK', 'ok'), ' ', text);
  return h('div', { class: 'grid2' },
    h('section', { class: 'card' }, h('h2', {}, 'Targets down'),
      down.length === 0 ? ok('Every upstream target is up.') : h('ul', { class: 'plain' }, down.map(t => h('li', {},
        h('a', { href: '#/upstream/' + enc(t.upstream) }, show(t.upstream) + ' → ' + show(t.target)), ' ', stateBadge(t.state), ' ',
        h('span', { class: 'reason' }, show(t.reason, 'no reason given')),
        t.since ? h('small', { class: 'muted', title: when(t.since) }, ' since ' + ago(t.since)) : null)))),
    h('section', { class: 'card' }, h('h2', {}, 'Plugins failed'),
      failed.length === 0 ? ok('No plugin has failed.') : h('ul', { class: 'plain' }, failed.map(p => h('li', {},
        h('a', { href: '#/plugin/' + enc(p.id) }, show(p.id)), ' ', badge('FAILED', 'bad'), ' ', h('span', { class: 'reason' }, show(p.reason)))))),
    h('section', { class: 'card' }, h('h2', {}, 'Nodes behind on config'),
      behind.length === 0 ? ok('Every node runs the current configuration.') : h('ul', { class: 'plain' }, behind.map(n => h('li', {},
        h('a', { href: '#/nodes' }, show(n.node)), ' applied version ', show(n.appliedVersion), ' of ', show(n.currentVersion))))),
    h('section', { class: 'card' }, h('h2', {}, 'Certificates'),
      certs.length === 0 ? h('p', { class: 'muted' }, 'No certificates to watch: Frontdesk manages none yet.')
        : h('ul', { class: 'plain' }, certs.map(c => h('li', {}, show(c.name || c.host), ' expires ', when(c.expiresAt || c.notAfter))))));
}
