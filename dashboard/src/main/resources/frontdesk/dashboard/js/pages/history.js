// History: every configuration change with who, when and the API's summary of it ("action", or
// "summary" where given); a change's difference to the version before, by names and fields;
// rollback (recorded as a new change).

import { h, empty, table, button, show } from '../dom.js';
import { api, canEdit, ApiError } from '../api.js';
import { page, params, rerender } from '../router.js';
import { ago, when } from '../format.js';
import { configDiff, fromApiChanges, valueText } from '../config-diff.js';

const PAGE = 50;

export async function historyPage() {
  const offset = Number(params().get('offset') || 0);
  const data = await api('GET', '/history?limit=' + PAGE + '&offset=' + offset);
  const diffBox = h('div', { id: 'diff' });
  const open = c => showDiff(diffBox, c);
  page('History',
    data.items.length === 0 ? empty('No changes yet. Every change to sites, routes, upstreams and bindings is recorded here.') : table([
      ['Version', c => String(c.version)],
      ['When', c => h('span', { title: when(c.changedAt) }, ago(c.changedAt))],
      ['Who', c => show(c.actor)],
      ['What', c => show(c.summary, show(c.action))],
      ['Actions', c => h('span', { class: 'actions' },
        button('Show changes', () => open(c), { class: 'small', 'aria-label': 'Show the changes of version ' + c.version }),
        canEdit() ? button('Roll back to this', async () => {
          if (!confirm('Restore the configuration of version ' + c.version + '? (recorded as a new change)')) return;
          await api('POST', '/history/' + c.version + '/rollback');
          rerender();
        }, { class: 'small', 'aria-label': 'Roll back to version ' + c.version }) : null)],
    ], data.items, { onRow: open }),
    data.total > PAGE ? h('nav', { class: 'pager', 'aria-label': 'Pages of changes' },
      h('a', { class: 'button', href: '#/history?offset=' + Math.max(0, offset - PAGE), 'aria-disabled': offset === 0 ? 'true' : null }, '← Newer'),
      h('span', { class: 'muted' }, (offset + 1) + '–' + Math.min(offset + PAGE, data.total) + ' of ' + data.total),
      offset + PAGE < data.total ? h('a', { class: 'button', href: '#/history?offset=' + (offset + PAGE) }, 'Older →') : null) : null,
    diffBox);
}

/** The changes of a version: the API's diff by names, or (from an older server) worked out here. */
async function changesOf(version) {
  try {
    const d = await api('GET', '/history/' + version + '/diff');
    return { entry: d, changes: fromApiChanges(d.changes || []) };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  const cur = await api('GET', '/history/' + version);
  const prev = version > 1 ? await api('GET', '/history/' + (version - 1)).catch(() => null) : null;
  return { entry: cur, changes: configDiff((prev && prev.document) || {}, cur.document || {}) };
}

async function showDiff(box, c) {
  const { entry: cur, changes } = await changesOf(c.version);
  const label = { added: 'added', removed: 'removed', changed: 'changed' };
  box.replaceChildren(h('h2', { tabindex: '-1' }, 'Version ' + c.version + ': ' + show(c.summary, show(cur.action)) + ' (' + show(cur.actor) + ', ' + when(cur.changedAt) + ')'),
    changes.length === 0 ? empty('No difference to the version before.') : h('div', { class: 'diff' }, changes.map(x => h('div', { class: 'card diff-item ' + x.change },
      h('h3', {}, x.kind + ' ', h('code', {}, x.name), ' ', h('span', { class: 'badge ' + (x.change === 'removed' ? 'bad' : x.change === 'added' ? 'ok' : 'warn') }, label[x.change])),
      x.fields.length ? table([
        ['Field', f => h('code', {}, f.field)],
        ['Before', f => h('span', { class: 'before' }, valueText(f.before))],
        ['After', f => h('span', { class: 'after' }, valueText(f.after))],
      ], x.fields, { class: 'compact' }) : null))));
  box.scrollIntoView({ block: 'start' });
  box.querySelector('h2').focus({ preventScroll: true });
}
