// Plugins: what is installed with its state and problem, enabling or disabling a plugin
// everywhere, uploading a jar, and each plugin's cost per request from the access log.

import { h, empty, table, badge, section, button, show } from '../dom.js';
import { api, apiOr, canEdit, enc, changeHeaders, API } from '../api.js';
import { page, rerender, go } from '../router.js';
import { count } from '../format.js';

export function stateBadge(p) {
  return badge(show(p.state), p.state === 'STARTED' ? 'ok' : p.state === 'FAILED' ? 'bad' : 'warn');
}

/** Disables or enables a plugin everywhere: its bindings stay but do not run while it is off. long: says "everywhere". */
export function pluginSwitch(p, long) {
  const off = p.enabled === false;
  const text = off ? 'Enable' : 'Disable';
  return button(long ? text + ' this plugin everywhere' : text, async () => {
    if (!off && !confirm('Disable ' + p.id + ' everywhere? Its bindings are kept but none runs until it is enabled again.')) return;
    await api('POST', '/plugins/' + enc(p.id) + (off ? '/enable' : '/disable'));
    rerender();
  }, { class: 'small' + (off ? '' : ' danger'), 'aria-label': (off ? 'Enable plugin ' : 'Disable plugin ') + p.id });
}

function uploadForm() {
  const error = h('div', { class: 'form-error', role: 'alert' });
  const el = h('form', { class: 'card', 'aria-label': 'Install a plugin' },
    h('div', { class: 'field' }, h('label', { for: 'jar' }, 'Install a plugin jar'), h('input', { id: 'jar', type: 'file', accept: '.jar' }),
      h('small', { class: 'muted' }, 'A PF4J plugin built against the Frontdesk plugin API; it starts at once, with no restart.')),
    error, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Upload')));
  el.addEventListener('submit', async e => {
    e.preventDefault();
    const file = el.querySelector('input[type=file]').files[0];
    error.textContent = '';
    if (!file) { error.textContent = 'Choose a .jar file first.'; return; }
    const body = new FormData();
    body.append('file', file, file.name);
    const res = await fetch(API + '/plugins', { method: 'POST', body, headers: changeHeaders(), credentials: 'same-origin' });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) { error.textContent = json.message || ('HTTP ' + res.status); return; }
    rerender();
  });
  return el;
}

export async function pluginsPage() {
  const [data, cost] = await Promise.all([api('GET', '/plugins'), apiOr({ items: [] }, '/logs/plugin-cost?from=1h')]);
  const kinds = p => (p.extensions || []).map(e => (e.startsWith('balancer:') ? 'balancer ' + e.slice(9) : e === 'logSink' ? 'log sink' : e)).join(', ');
  page('Plugins',
    data.items.length === 0 ? empty('No plugins installed. Upload a jar below, or drop one into the plugins folder.') : table([
      ['Plugin', p => h('a', { href: '#/plugin/' + enc(p.id || p.jar) }, show(p.id, p.jar))],
      ['Version', p => show(p.version)],
      ['Provides', p => show(kinds(p))],
      ['State', p => stateBadge(p)],
      ['Default priority', p => show(p.defaultPriority)],
      ['Errors (this node)', p => (p.stats ? count(p.stats.errors + p.stats.timeouts) + ' of ' + count(p.stats.calls) : '—')],
      ['Problem', p => (p.reason ? h('span', { class: 'bad' }, p.reason) : '—')],
      ...(canEdit() ? [['Actions', p => (p.id && p.state !== 'FAILED' ? pluginSwitch(p) : '—')]] : []),
    ], data.items, { onRow: p => go('#/plugin/' + enc(p.id || p.jar)) }),
    canEdit() ? uploadForm() : null,
    section('Cost per request (last hour, from the access log)',
      (cost.items || []).length === 0 ? empty('No plugin ran on logged requests in the last hour. Bind a filter plugin to a route and send traffic.')
        : table([
          ['Plugin', c => c.plugin], ['Runs', c => count(c.calls)], ['Average', c => show(c.avgMicros) + ' µs'],
          ['p95', c => show(c.p95Micros) + ' µs'], ['Did not continue', c => count(c.notContinued)],
        ], cost.items)));
}
