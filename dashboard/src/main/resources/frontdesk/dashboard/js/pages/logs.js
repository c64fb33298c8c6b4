// The access-log search: labelled filters kept in the URL hash (a link to the search restores
// it), pages both ways, a row's full record, CSV/JSON export, and the API's 400 messages next
// to the filters they name.

import { h, empty, table, section, facts, button, show } from '../dom.js';
import { api, apiOr, ApiError, API, enc } from '../api.js';
import { page, params } from '../router.js';
import { ms, when, count } from '../format.js';
import { logFilters, FILTER_PARAMS } from './log-filters.js';

const PAGE_SIZE = 50;
// Cursors of the pages before this one, newest first, joined by '.' (a cursor is base64url, no dots).
const BACK = 'back';

function hashOf(p) {
  const s = p.toString();
  return '#/logs' + (s ? '?' + s : '');
}

export async function logsPage() {
  const p = params();
  const query = new URLSearchParams();
  for (const k of FILTER_PARAMS) if (p.get(k)) query.set(k, p.get(k));
  if (!query.get('from')) query.set('from', '1h');
  const [sites, routes, ups] = await Promise.all([apiOr({ items: [] }, '/sites?limit=1000'), apiOr({ items: [] }, '/routes?limit=1000'),
    apiOr({ items: [] }, '/upstreams?limit=1000')]);
  const filters = logFilters(p, { sites: sites.items.map(s => s.name), routes: routes.items.map(r => r.name), upstreams: ups.items.map(u => u.name) },
    next => { location.hash = hashOf(next); });

  const pageQuery = new URLSearchParams(query);
  pageQuery.set('limit', String(PAGE_SIZE));
  if (p.get('cursor')) pageQuery.set('cursor', p.get('cursor'));
  let data = { items: [] };
  let problem = null;
  try {
    data = await api('GET', '/logs?' + pageQuery);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    problem = e;
  }

  const searchOnly = new URLSearchParams();
  for (const k of FILTER_PARAMS) if (p.get(k)) searchOnly.set(k, p.get(k));
  const link = location.origin + location.pathname + hashOf(searchOnly);
  const back = (p.get(BACK) || '').split('.').filter(Boolean);
  const pageNo = p.get('cursor') ? back.length + 2 : 1;
  const newer = () => {
    const next = new URLSearchParams(searchOnly);
    if (back.length) { next.set('cursor', back[0]); if (back.length > 1) next.set(BACK, back.slice(1).join('.')); }
    location.hash = hashOf(next);
  };
  const older = () => {
    const next = new URLSearchParams(searchOnly);
    next.set('cursor', data.next);
    const stack = p.get('cursor') ? [p.get('cursor')].concat(back) : [];
    if (stack.length) next.set(BACK, stack.join('.'));
    location.hash = hashOf(next);
  };
  const pager = () => h('nav', { class: 'pager', 'aria-label': 'Pages of results' },
    h('button', { type: 'button', onclick: newer, disabled: !p.get('cursor') }, '← Newer'),
    h('span', { class: 'muted' }, 'Page ' + pageNo),
    h('button', { type: 'button', onclick: older, disabled: !data.next }, 'Older →'),
    p.get('cursor') ? h('a', { href: hashOf(searchOnly) }, 'Back to the first page') : null);

  const copy = button('Copy link', async () => {
    try { await navigator.clipboard.writeText(link); copy.textContent = 'Copied'; } catch (e) { copy.textContent = 'Select the link to copy it'; }
  }, { class: 'small' });
  const exportQuery = new URLSearchParams(query);
  const detail = h('div', { id: 'log-detail' });
  page('Logs', filters,
    h('p', { class: 'saved-search' }, 'Saved search: ', h('a', { href: link, id: 'search-link' }, 'link to this search'), ' ', copy,
      ' · Export: ', h('a', { href: API + '/logs/export?format=csv&' + exportQuery }, 'CSV'), ', ',
      h('a', { href: API + '/logs/export?format=json&' + exportQuery }, 'JSON')),
    problem ? h('p', { class: 'notice bad', role: 'alert' }, 'The search was refused: ',
      problem.fieldErrors.length ? problem.fieldErrors.map(x => labelOf(filters, x.field) + ' ' + x.message).join('; ') : problem.message) : null,
    !problem && data.items.length === 0
      ? empty(p.get('cursor') ? 'No more requests on this page.' : 'No requests match these filters in this time range. Widen the time range or remove a filter.')
      : null,
    data.items.length ? [pager(), table([
      ['Time', r => when(r.timestamp)], ['Site', r => show(r.site)], ['Method', r => show(r.method)],
      ['Path', r => h('code', { class: 'path' }, show(r.path) + (r.query ? '?' + r.query : ''))],
      ['Status', r => h('span', { class: r.status >= 500 ? 'bad' : r.status >= 400 ? 'warn' : 'ok' }, show(r.status))],
      ['Time taken', r => ms(r.durationMicros)], ['Client', r => show(r.clientIp)],
    ], data.items, { onRow: r => showRecord(detail, r) }), pager()] : null,
    detail);
  if (problem) filters.showError(problem);
}

/** The label of the filter a parameter belongs to (for messages that name it). */
function labelOf(formEl, param) {
  const input = formEl.querySelector('[name="' + CSS.escape(param) + '"]');
  const label = input && formEl.querySelector('label[for="' + CSS.escape(input.id) + '"]');
  return label ? label.textContent : param;
}

function showRecord(box, r) {
  box.replaceChildren(section('Request ' + show(r.requestId),
    facts([['When', when(r.timestamp)], ['Request', show(r.method) + ' ' + show(r.host, '') + show(r.path) + (r.query ? '?' + r.query : '')],
      ['Status', show(r.status)], ['Time taken', ms(r.durationMicros)], ['Site / route', show(r.site) + ' / ' + show(r.route)],
      ['Upstream / target', show(r.upstream) + ' / ' + show(r.target)], ['Client', show(r.clientIp)],
      ['Bytes in / out', count(r.requestBytes) + ' / ' + count(r.responseBytes)]]),
    h('details', { open: true }, h('summary', {}, 'Full record (JSON)'), h('pre', {}, JSON.stringify(r, null, 2)))));
  box.scrollIntoView({ block: 'start' });
}
