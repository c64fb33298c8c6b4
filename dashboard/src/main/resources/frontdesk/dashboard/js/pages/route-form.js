// The route form, the same for creating and editing: every match rule (path prefix, exact path or
// regex; methods; required headers), how the path is forwarded (strip-prefix, rewrite, Host),
// priority, and the request policy under "More".

import { api, enc } from '../api.js';
import { form, num, val } from '../forms.js';
import { list } from '../format.js';

const MATCH_KINDS = [['pathPrefix', 'Path starts with'], ['path', 'Path is exactly'], ['pathRegex', 'Path matches regex']];
const VALUE_LABEL = { pathPrefix: 'Path prefix', path: 'Exact path', pathRegex: 'Path regex' };

function headerLines(headers) {
  return Object.entries(headers || {}).map(([k, v]) => k + ': ' + v).join('\n');
}

function parseHeaders(text) {
  const out = {};
  for (const line of String(text || '').split('\n')) {
    if (!line.trim()) continue;
    const i = line.indexOf(':');
    if (i < 0) out[line.trim()] = '*';
    else out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * @param route the route to edit, or null to create one
 * @param sites, upstreams the names to choose from
 * @param preset {site} for a new route
 */
export function routeForm(route, sites, upstreams, onSaved, preset) {
  const r = route || { match: { pathPrefix: '/' }, priority: 0, site: preset && preset.site };
  const m = r.match || {};
  const kind = m.path !== undefined && m.path !== null ? 'path' : m.pathRegex ? 'pathRegex' : 'pathPrefix';
  const el = form([
    { legend: 'Route', layout: 'row', fields: [
      { name: 'name', label: 'Name', value: val(r.name), placeholder: 'api' },
      { name: 'site', label: 'Site', type: 'select', options: sites, value: r.site },
      { name: 'upstream', label: 'Upstream', type: 'select', options: upstreams, value: r.upstream },
      { name: 'priority', label: 'Priority', type: 'number', value: val(r.priority ?? 0), step: 1,
        help: 'Higher is tried first.' },
    ] },
    { legend: 'Which requests', layout: 'row', fields: [
      { name: 'matchKind', label: 'Path rule', type: 'select', options: MATCH_KINDS, value: kind, errorKeys: ['match'],
        onchange: k => { el.querySelector('[data-role=path-label]').textContent = VALUE_LABEL[k]; } },
      { name: 'matchValue', label: VALUE_LABEL[kind], value: val(m[kind] ?? (kind === 'pathPrefix' ? '/' : '')),
        errorKeys: ['match.pathPrefix', 'match.path', 'match.pathRegex'], placeholder: '/api' },
      { name: 'methods', label: 'Methods', value: (m.methods || []).join(', '), placeholder: 'GET, POST (empty: any)',
        errorKeys: ['match.methods'] },
      { name: 'headers', label: 'Required headers', type: 'textarea', rows: 2, value: headerLines(m.headers),
        placeholder: 'X-Env: prod', help: 'One Name: value per line; a value of * means “present”.', errorKeys: ['match.headers'] },
    ] },
    { legend: 'How it is forwarded', layout: 'row', fields: [
      { name: 'stripPrefix', label: 'Strip the prefix (/api/users → /users)', type: 'checkbox', value: r.stripPrefix },
      { name: 'rewrite', label: 'Rewrite', value: val(r.rewrite), placeholder: '/v2 (empty: none)',
        help: 'Replaces the matched part of the path; with a regex, $1 or ${name} insert groups.' },
      { name: 'preserveHost', label: 'Send the client’s Host header upstream', type: 'checkbox', value: r.preserveHost },
      { name: 'enabled', label: 'Enabled', type: 'checkbox', value: r.enabled !== false },
    ] },
    { legend: 'More: path checks, body size, upgrades', collapsed: true, layout: 'row', fields: [
      { name: 'caseSensitive', label: 'Case-sensitive paths', type: 'checkbox', value: r.caseSensitive },
      { name: 'allowEncodedSlashes', label: 'Allow %2F and backslashes in paths', type: 'checkbox', value: r.allowEncodedSlashes },
      { name: 'allowPathParameters', label: 'Allow ;parameters in paths', type: 'checkbox', value: r.allowPathParameters },
      { name: 'maxRequestBodyBytes', label: 'Largest request body (bytes)', type: 'number', min: 0,
        value: val(r.maxRequestBodyBytes ?? 0), help: '0 = the node’s --max-request-body.' },
      { name: 'upgrades', label: 'Protocol upgrades', value: (r.upgrades || ['websocket']).join(', '),
        help: 'Comma-separated, e.g. websocket; empty: none.' },
    ] },
  ], route ? 'Save route' : 'Create route', async v => {
    const match = { [v.matchKind]: v.matchValue.trim() };
    if (v.methods.trim()) match.methods = list(v.methods).map(x => x.toUpperCase());
    const headers = parseHeaders(v.headers);
    if (Object.keys(headers).length) match.headers = headers;
    const body = {
      name: v.name.trim(), site: v.site, upstream: v.upstream, match, priority: num(v.priority) ?? 0,
      stripPrefix: v.stripPrefix, rewrite: v.rewrite.trim() === '' ? null : v.rewrite.trim(), preserveHost: v.preserveHost,
      enabled: v.enabled, caseSensitive: v.caseSensitive, allowEncodedSlashes: v.allowEncodedSlashes,
      allowPathParameters: v.allowPathParameters, maxRequestBodyBytes: num(v.maxRequestBodyBytes) ?? 0, upgrades: list(v.upgrades),
    };
    const saved = route ? await api('PUT', '/routes/' + enc(route.id), body) : await api('POST', '/routes', body);
    onSaved(saved);
  }, { label: route ? 'Edit route ' + route.name : 'Add a route' });
  const valueInput = [...el.querySelectorAll('input')].find(i => i.name === 'matchValue');
  el.querySelector('label[for="' + valueInput.id + '"]').dataset.role = 'path-label';
  return el;
}
