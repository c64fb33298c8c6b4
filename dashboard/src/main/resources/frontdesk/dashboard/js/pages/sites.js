// Sites: the list with search and the demo offer, a site's page with its routes, and the site
// form (the same for creating and editing).

import { h, empty, table, badge, section, facts, button } from '../dom.js';
import { api, apiOr, canEdit, enc } from '../api.js';
import { page, params, rerender, go } from '../router.js';
import { form } from '../forms.js';
import { list } from '../format.js';
import { routeTable } from './route-table.js';

function siteForm(site, onSaved) {
  const fields = [
    { name: 'name', label: 'Name', value: site ? site.name : '', placeholder: 'shop' },
    { name: 'hosts', label: 'Hosts', value: site ? site.hosts.join(', ') : '', placeholder: 'shop.example.com, *.shop.example.com',
      help: 'Comma-separated; *.example.com for every sub-domain, * for every host no other site claims.' },
  ];
  if (site) fields.push({ name: 'enabled', label: 'Enabled (a disabled site answers 404 for its hosts)', type: 'checkbox', value: site.enabled !== false });
  return form(fields, site ? 'Save site' : 'Create site', async v => {
    const body = { name: v.name.trim(), hosts: list(v.hosts) };
    if (site) body.enabled = v.enabled;
    const saved = site ? await api('PUT', '/sites/' + enc(site.id), body) : await api('POST', '/sites', body);
    onSaved(saved);
  }, { label: site ? 'Edit site ' + site.name : 'Add a site' });
}

export async function sitesPage() {
  const q = params().get('q') || '';
  const [data, demo, routes] = await Promise.all([api('GET', '/sites?limit=500' + (q ? '&q=' + enc(q) : '')),
    apiOr({ exists: false }, '/demo'), apiOr({ items: [] }, '/routes?limit=1000')]);
  const routeCount = {};
  routes.items.forEach(r => { routeCount[r.site] = (routeCount[r.site] || 0) + 1; });
  const search = h('form', { class: 'search', role: 'search', onsubmit: e => {
    e.preventDefault();
    const v = e.target.querySelector('input').value.trim();
    go('#/sites' + (v ? '?q=' + enc(v) : ''));
  } }, h('label', { for: 'site-search' }, 'Search sites'),
  h('input', { id: 'site-search', type: 'search', value: q, placeholder: 'name or host' }),
  h('button', { type: 'submit' }, 'Search'), q ? h('a', { href: '#/sites', class: 'button' }, 'Clear') : null);
  const isDemo = s => demo.exists && s.name === demo.site;
  const listing = data.items.length === 0
    ? (q ? empty('No site matches “' + q + '”. Try part of a name or host, or clear the search.', h('a', { class: 'button', href: '#/sites' }, 'Clear the search'))
      : empty(canEdit() ? 'No sites yet. Add one below (a name and the host names it answers for), or create the demo to look around.'
        : 'No sites yet. An admin can add one.'))
    : table([
      ['Name', s => h('span', {}, h('a', { href: '#/site/' + enc(s.name) }, s.name),
        isDemo(s) ? [' ', h('span', { class: 'demo-tag', title: 'Made by the demo; remove it any time' }, 'demo')] : null)],
      ['Hosts', s => s.hosts.join(', ')],
      ['Routes', s => String(routeCount[s.name] || 0)],
      ['State', s => (s.enabled === false ? badge('disabled', 'warn') : badge('enabled', 'ok'))],
    ], data.items, { onRow: s => go('#/site/' + enc(s.name)) });
  const demoBox = !canEdit() ? null : demo.exists
    ? h('p', { class: 'card' }, h('span', { class: 'demo-tag' }, 'demo'), ' The demo site answers on the proxy port with two built-in backends. ',
      button('Remove the demo', async () => { await api('DELETE', '/demo'); rerender(); }))
    : data.items.length === 0 && !q
      ? h('div', { class: 'card callout' }, h('p', {}, 'New here? The demo makes a site with two small built-in backends, so routing, ',
        'balancing, live traffic and the tracer have something to show.'),
      button('Create the demo', async () => { await api('POST', '/demo'); go('#/site/demo'); }, { class: 'primary' }))
      : null;
  page('Sites', search, demoBox, listing,
    canEdit() ? section('Add a site', siteForm(null, s => go('#/site/' + enc(s.name)))) : null);
}

export async function sitePage(name) {
  const site = await api('GET', '/sites/' + enc(name));
  const routes = await api('GET', '/routes?limit=500&site=' + enc(site.id));
  const items = routes.items.slice().sort((a, b) => (b.priority || 0) - (a.priority || 0) || a.name.localeCompare(b.name));
  const actions = canEdit() ? h('div', { class: 'actions' },
    button(site.enabled === false ? 'Enable site' : 'Disable site', async () => {
      await api('PATCH', '/sites/' + enc(site.id), { enabled: site.enabled === false });
      rerender();
    }),
    button('Delete site', async () => {
      if (!confirm('Delete site ' + site.name + (items.length ? ' and its ' + items.length + ' route(s)' : '') + '?')) return;
      for (const r of items) await api('DELETE', '/routes/' + enc(r.id));
      await api('DELETE', '/sites/' + enc(site.id));
      go('#/sites');
    }, { class: 'danger' })) : null;
  page('Site ' + site.name,
    facts([['Hosts', site.hosts.join(', ')], ['State', site.enabled === false ? badge('disabled', 'warn') : badge('enabled', 'ok')],
      ['Routes', String(items.length)]]),
    actions,
    section('Routes, in the order they are tried', items.length === 0
      ? empty('No routes yet: requests to this site get 404. Add a route that sends them to an upstream.',
        h('a', { class: 'button', href: '#/routes?site=' + enc(site.name) }, 'Add a route'))
      : routeTable(items, { site: false })),
    canEdit() ? section('Edit site', siteForm(site, s => (s.name !== site.name ? go('#/site/' + enc(s.name)) : rerender()))) : null);
}
