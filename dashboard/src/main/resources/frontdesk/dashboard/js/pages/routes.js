// Routes: the list (with site, match rules and forwarding), creating one, and a route's page with
// its edit form and its effective filter chain.

import { h, empty, section, facts, badge } from '../dom.js';
import { api, canEdit, enc } from '../api.js';
import { page, params, rerender, go } from '../router.js';
import { routeTable, matchText, forwardText } from './route-table.js';
import { routeForm } from './route-form.js';
import { filterChain } from './filter-chain.js';

export async function routesPage() {
  const site = params().get('site') || '';
  const [routes, sites, ups] = await Promise.all([api('GET', '/routes?limit=1000' + (site ? '&site=' + enc(site) : '')),
    api('GET', '/sites?limit=1000'), api('GET', '/upstreams?limit=1000')]);
  const siteNames = sites.items.map(s => s.name);
  const upNames = ups.items.map(u => u.name);
  const missing = [siteNames.length ? null : h('a', { href: '#/sites' }, 'a site'),
    upNames.length ? null : h('a', { href: '#/upstreams' }, 'an upstream')].filter(Boolean);
  page('Routes',
    site ? h('p', {}, 'Routes of site ', h('a', { href: '#/site/' + enc(site) }, site), ' · ', h('a', { href: '#/routes' }, 'all routes')) : null,
    routes.items.length === 0
      ? empty('No routes yet. A route sends the requests of a site that match its rules to an upstream.')
      : routeTable(routes.items),
    canEdit() && missing.length ? h('p', { class: 'notice' }, 'To add a route, first create ', missing.length === 2 ? [missing[0], ' and ', missing[1]] : missing[0], '.') : null,
    canEdit() && !missing.length ? section('Add a route', routeForm(null, siteNames, upNames, r => go('#/route/' + enc(r.name)), { site })) : null);
}

export async function routePage(name) {
  const editing = params().has('edit');
  const [r, sites, ups] = await Promise.all([api('GET', '/routes/' + enc(name)),
    canEdit() ? api('GET', '/sites?limit=1000') : { items: [] }, canEdit() ? api('GET', '/upstreams?limit=1000') : { items: [] }]);
  const chain = await filterChain(r);
  const forward = forwardText(r);
  const edit = canEdit() ? section('Edit route', routeForm(r, sites.items.map(s => s.name), ups.items.map(u => u.name),
    saved => (saved.name !== r.name ? go('#/route/' + enc(saved.name)) : rerender()))) : null;
  page('Route ' + r.name,
    facts([
      ['Site', h('a', { href: '#/site/' + enc(r.site) }, r.site)],
      ['Match', h('code', {}, matchText(r.match))],
      ['Forwarded', forward.length ? forward.join(', ') : 'path as sent, with the target’s Host'],
      ['Upstream', h('a', { href: '#/upstream/' + enc(r.upstream) }, r.upstream)],
      ['Priority', String(r.priority || 0)],
      ['State', r.enabled === false ? badge('disabled', 'warn') : badge('enabled', 'ok')],
    ]),
    canEdit() ? h('p', {}, h('a', { class: 'button', href: '#/route/' + enc(r.name) + '?edit' }, 'Edit this route'),
      ' ', h('a', { class: 'button', href: '#/tracer?site=' + enc(r.site) }, 'Trace a request')) : null,
    section('Filter chain', chain),
    edit);
  if (editing && edit) {
    edit.scrollIntoView({ block: 'start' });
    const first = edit.querySelector('input');
    if (first) first.focus({ preventScroll: true });
  }
}
