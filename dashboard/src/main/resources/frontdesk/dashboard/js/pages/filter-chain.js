// A route's effective chain: its global, site and route filter bindings in the order they run.
// Reordering (drag and drop, or the arrow buttons) gives the enabled bindings priorities 100,
// 200, …; a binding can be switched off and on from here too.

import { h, empty, badge, button } from '../dom.js';
import { api, apiOr, canEdit, enc } from '../api.js';
import { rerender } from '../router.js';

const bindingPath = b => '/plugins/' + enc(b.plugin) + '/bindings/' + enc(b.id);

export async function filterChain(route) {
  const plugins = (await api('GET', '/plugins')).items.filter(p => (p.extensions || []).includes('filter'));
  const defaults = {};
  plugins.forEach(p => { defaults[p.id] = p.defaultPriority; });
  const all = (await Promise.all(plugins.map(p => apiOr({ items: [] }, '/plugins/' + enc(p.id) + '/bindings?limit=1000')
    .then(b => b.items)))).flat();
  const applies = b => b.scope === 'global' || (b.scope === 'site' && b.target === route.site) || (b.scope === 'route' && b.target === route.name);
  const ordered = all.filter(applies).map(b => ({ ...b, effective: b.priority ?? defaults[b.plugin] ?? 0 }))
    .sort((a, b) => a.effective - b.effective || a.plugin.localeCompare(b.plugin));
  const chain = ordered.filter(b => b.enabled !== false);
  const off = ordered.filter(b => b.enabled === false);
  if (ordered.length === 0) {
    return empty('No plugin runs on this route. Open a plugin on the Plugins page and bind it to this route, its site or globally.',
      h('a', { class: 'button', href: '#/plugins' }, 'Go to Plugins'));
  }
  const save = async order => {
    const changes = order.map((b, i) => ({ b, p: (i + 1) * 100 })).filter(x => x.b.effective !== x.p);
    for (const x of changes) await api('PATCH', bindingPath(x.b), { priority: x.p });
    rerender();
  };
  const toggle = b => button(b.enabled === false ? 'Enable' : 'Disable', async () => {
    await api('PATCH', bindingPath(b), { enabled: b.enabled === false });
    rerender();
  }, { class: 'small', 'aria-label': (b.enabled === false ? 'Enable ' : 'Disable ') + b.plugin + ' binding (' + where(b) + ')' });
  const list = h('ol', { class: 'chain', 'aria-label': 'Filters in the order they run on the way in' });
  let dragged = null;
  chain.forEach((b, i) => {
    const move = d => { const o = chain.slice(); const [x] = o.splice(i, 1); o.splice(i + d, 0, x); save(o); };
    const li = h('li', { class: 'card', draggable: canEdit() ? 'true' : null, 'data-plugin': b.plugin },
      h('a', { href: '#/plugin/' + enc(b.plugin) }, h('b', {}, b.plugin)), ' ',
      h('span', { class: 'muted' }, where(b) + ', priority ' + b.effective + (b.failOpen ? ', fail-open' : '')),
      canEdit() ? h('span', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': 'Move ' + b.plugin + ' earlier', disabled: i === 0, onclick: () => move(-1) }, '↑'),
        h('button', { type: 'button', class: 'small', 'aria-label': 'Move ' + b.plugin + ' later', disabled: i === chain.length - 1, onclick: () => move(1) }, '↓'),
        toggle(b)) : null);
    li.addEventListener('dragstart', () => { dragged = i; });
    li.addEventListener('dragover', e => e.preventDefault());
    li.addEventListener('drop', e => {
      e.preventDefault();
      if (dragged === null || dragged === i) return;
      const o = chain.slice(); const [x] = o.splice(dragged, 1); o.splice(i, 0, x); save(o);
    });
    list.append(li);
  });
  return h('div', {},
    chain.length ? list : empty('Every binding that applies here is disabled.'),
    chain.length ? h('p', { class: 'muted small' }, 'Earlier filters see the request first and the response last. ',
      'A global or site binding moves for every route that shares it.') : null,
    off.length ? h('div', {}, h('h3', {}, 'Disabled here'), h('ul', { class: 'plain' }, off.map(b => h('li', {},
      h('a', { href: '#/plugin/' + enc(b.plugin) }, b.plugin), ' ', badge('disabled', 'warn'), ' ', h('span', { class: 'muted' }, where(b)), ' ',
      canEdit() ? toggle(b) : null)))) : null);
}

export function where(b) {
  return b.scope === 'global' ? 'global' : b.scope + ' ' + (b.target ?? '');
}
