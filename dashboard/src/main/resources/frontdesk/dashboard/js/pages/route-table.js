// The routes table (Routes page and a site's page): match rules, how the path is forwarded
// (strip-prefix, rewrite, Host), priority, upstream and state.

import { h, table, badge, button } from '../dom.js';
import { api, canEdit, enc } from '../api.js';
import { rerender, go } from '../router.js';

/** A route's match rules in one line: "/api/* GET|POST x-env: prod". */
export function matchText(m) {
  const x = m || {};
  const parts = [];
  if (x.path) parts.push('= ' + x.path);
  else if (x.pathRegex) parts.push('~ ' + x.pathRegex);
  else parts.push((x.pathPrefix || '/') + (String(x.pathPrefix || '/').endsWith('/') ? '*' : '/*'));
  parts.push(x.methods && x.methods.length ? x.methods.join('|') : 'any method');
  if (x.headers && Object.keys(x.headers).length) parts.push(Object.entries(x.headers).map(([k, v]) => k + ': ' + v).join(', '));
  return parts.join(' · ');
}

/** What happens to the path and Host on the way upstream, as short phrases (empty: sent as is). */
export function forwardText(r) {
  const out = [];
  if (r.stripPrefix) out.push('strip ' + ((r.match && r.match.pathPrefix) || '/'));
  if (r.rewrite !== null && r.rewrite !== undefined && r.rewrite !== '') out.push('rewrite → ' + r.rewrite);
  if (r.preserveHost) out.push('client Host');
  return out;
}

export function routeTable(items, opts) {
  const o = { site: true, ...(opts || {}) };
  const cols = [['Name', r => h('a', { href: '#/route/' + enc(r.name) }, r.name)]];
  if (o.site) cols.push(['Site', r => h('a', { href: '#/site/' + enc(r.site) }, r.site)]);
  cols.push(
    ['Match', r => h('code', {}, matchText(r.match))],
    ['Forwarded', r => {
      const f = forwardText(r);
      return f.length ? h('span', {}, f.join(', ')) : h('span', { class: 'muted' }, 'path as sent');
    }],
    ['Priority', r => String(r.priority || 0)],
    ['Upstream', r => h('a', { href: '#/upstream/' + enc(r.upstream) }, r.upstream)],
    ['State', r => (r.enabled === false ? badge('disabled', 'warn') : badge('enabled', 'ok'))]);
  if (canEdit()) {
    cols.push(['Actions', r => h('span', { class: 'actions' },
      h('a', { class: 'button small', href: '#/route/' + enc(r.name) + '?edit', 'aria-label': 'Edit route ' + r.name }, 'Edit'),
      button('Delete', async () => {
        if (!confirm('Delete route ' + r.name + '?')) return;
        await api('DELETE', '/routes/' + enc(r.id));
        rerender();
      }, { class: 'danger small', 'aria-label': 'Delete route ' + r.name }))]);
  }
  return table(cols, items, { onRow: r => go('#/route/' + enc(r.name)) });
}
