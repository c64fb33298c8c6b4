// A plugin's page: its state (and switch), its bindings — each can be edited, switched off and
// on, reset after a stall, removed — and the form to add one.

import { h, empty, table, badge, section, facts, button, show } from '../dom.js';
import { api, apiOr, canEdit, enc } from '../api.js';
import { page, params, rerender, go } from '../router.js';
import { when, count } from '../format.js';
import { bindingForm } from './binding-form.js';
import { stateBadge, pluginSwitch } from './plugins.js';
import { where } from './filter-chain.js';
import { panelFor } from './plugin-panels.js';

function configSummary(config) {
  const entries = Object.entries(config || {});
  if (!entries.length) return h('span', { class: 'muted' }, 'defaults');
  return h('code', { class: 'config' }, entries.map(([k, v]) => k + '=' + (typeof v === 'string' ? v : JSON.stringify(v))).join(', '));
}

export async function pluginPage(id) {
  const editId = params().get('edit');
  const p = await api('GET', '/plugins/' + enc(id));
  const [bindings, sites, routes] = await Promise.all([apiOr({ items: [] }, '/plugins/' + enc(p.id) + '/bindings?limit=1000'),
    canEdit() ? api('GET', '/sites?limit=1000') : { items: [] }, canEdit() ? api('GET', '/routes?limit=1000') : { items: [] }]);
  const siteNames = sites.items.map(s => s.name);
  const routeNames = routes.items.map(r => r.name);
  const base = '/plugins/' + enc(p.id) + '/bindings/';
  const here = '#/plugin/' + enc(p.id);
  const editing = bindings.items.find(b => b.id === editId);
  const usable = p.state === 'STARTED' || p.state === 'DISABLED';
  const panel = panelFor(p.id);
  const panelContent = panel && usable ? await panel({ plugin: p, bindings: bindings.items }) : null;

  const rows = table([
    ['Where', b => where(b)],
    ['Priority', b => (b.priority === null || b.priority === undefined ? show(p.defaultPriority) + ' (default)' : String(b.priority))],
    ['State', b => h('span', {}, b.enabled === false ? badge('disabled', 'warn') : badge('enabled', 'ok'),
      b.stall && b.stall.tripped ? [' ', badge('stalled', 'bad'), h('div', { class: 'reason' }, show(b.stall.reason))] : null)],
    ['Fail-open', b => (b.failOpen ? 'yes' : 'no')],
    ['Configuration', b => configSummary(b.config)],
    ...(canEdit() ? [['Actions', b => h('span', { class: 'actions' },
      h('a', { class: 'button small', href: here + '?edit=' + enc(b.id), 'aria-label': 'Edit binding ' + where(b) }, 'Edit'),
      button(b.enabled === false ? 'Enable' : 'Disable', async () => {
        await api('PATCH', base + enc(b.id), { enabled: b.enabled === false });
        rerender();
      }, { class: 'small', 'aria-label': (b.enabled === false ? 'Enable' : 'Disable') + ' binding ' + where(b) }),
      b.stall && b.stall.tripped ? button('Let it run again', async () => { await api('POST', base + enc(b.id) + '/reset'); rerender(); },
        { class: 'small' }) : null,
      button('Remove', async () => {
        if (!confirm('Remove the binding ' + where(b) + '?')) return;
        await api('DELETE', base + enc(b.id));
        go(here);
      }, { class: 'small danger', 'aria-label': 'Remove binding ' + where(b) }))]] : []),
  ], bindings.items);

  const editForm = editing && canEdit()
    ? section('Edit binding: ' + where(editing), bindingForm(p, editing, siteNames, routeNames, () => go(here), () => go(here)))
    : null;
  page('Plugin ' + show(p.id),
    h('p', { class: 'muted' }, show(p.description, '')),
    facts([
      ['Version', show(p.version)], ['State', stateBadge(p)], ['Provides', show(p.extensions)],
      ['Default priority', show(p.defaultPriority)], ['Loaded', when(p.loadedAt)], ['Jar', show(p.jar)],
      p.stats ? ['This node', count(p.stats.calls) + ' runs, ' + count(p.stats.errors) + ' errors, ' + count(p.stats.timeouts) + ' timeouts, ' + show(p.stats.avgMicros) + ' µs average'] : null,
      p.reason ? ['Problem', h('span', { class: 'bad' }, p.reason)] : null,
    ]),
    canEdit() && usable ? h('p', { class: 'actions' }, pluginSwitch(p, true), p.enabled === false
      ? h('span', { class: 'muted' }, ' Disabled everywhere: its bindings are kept but none runs.') : null) : null,
    section('Bindings', bindings.items.length === 0
      ? empty(usable ? 'Not bound anywhere, so it does nothing yet. Add a binding below: globally, for a site or for a route.'
        : 'Not bound anywhere.')
      : rows),
    panelContent,
    editForm,
    canEdit() && usable && !editing ? section('Add a binding', bindingForm(p, null, siteNames, routeNames, () => go(here))) : null,
    !usable ? h('p', { class: 'notice' }, 'This plugin is ' + show(p.state) + ', so it cannot be bound now.'
      + (p.reason ? ' ' + p.reason : '')) : null);
  if (editForm) {
    editForm.scrollIntoView({ block: 'start' });
    const first = editForm.querySelector('select, input');
    if (first) first.focus({ preventScroll: true });
  }
}
