// The request tracer: sends a real request through this node's proxy and draws the proxy's own
// record of its way (route, each filter, the backend, retries, the response), step by step.

import { h, empty, table, show } from '../dom.js';
import { api, enc } from '../api.js';
import { page, params } from '../router.js';
import { form } from '../forms.js';
import { ms } from '../format.js';

export async function tracerPage() {
  const sites = await api('GET', '/sites?limit=1000');
  const result = h('div', { id: 'trace-result', 'aria-live': 'polite' });
  const preset = params().get('site');
  page('Request tracer',
    h('p', { class: 'muted' }, 'Sends a real request through this node’s proxy and shows the proxy’s own record of its way.'),
    sites.items.length === 0 ? empty('No sites yet — a traced request needs a site to go to. Create one, or the demo, first.',
      h('a', { class: 'button', href: '#/sites' }, 'Go to Sites')) : form([
      { legend: 'Request', layout: 'row', fields: [
        { name: 'site', label: 'Site', type: 'select', options: sites.items.map(s => s.name), value: preset },
        { name: 'method', label: 'Method', type: 'select', options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] },
        { name: 'path', label: 'Path', value: '/' },
      ] },
      { name: 'headers', label: 'Headers', type: 'textarea', placeholder: 'Accept: application/json', help: 'One Name: value per line.' },
      { name: 'body', label: 'Body', type: 'textarea' },
    ], 'Send', async v => {
      const headers = {};
      for (const l of v.headers.split('\n')) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim()] = l.slice(i + 1).trim();
      }
      result.replaceChildren(h('p', { class: 'muted' }, 'Sending…'));
      try {
        const t = await api('POST', '/trace', { site: v.site, method: v.method, path: v.path, headers, body: v.body || undefined });
        showTrace(result, t);
      } catch (e) {
        result.replaceChildren();
        throw e;
      }
    }, { label: 'Trace a request' }),
    result);
}

function stepText(s) {
  switch (s.kind) {
    case 'route': return ['Route ' + show(s.route), 'site ' + show(s.site) + ' → ' + show(s.upstream) + (s.forwardPath ? ', path ' + s.forwardPath : '')];
    case 'filter': return [show(s.plugin) + ' (' + show(s.phase) + ')', show(s.outcome) + ', ' + show(s.micros) + ' µs'
      + (s.attributes && Object.keys(s.attributes).length ? ', ' + Object.entries(s.attributes).map(([k, x]) => k + '=' + x).join(', ') : '')];
    case 'upstream': return ['Backend ' + show(s.target), 'upstream ' + show(s.upstream) + ', attempt ' + show(s.attempt)];
    case 'retry': return ['Retry', show(s.failedTarget) + ': ' + show(s.what)];
    case 'response': return ['Response ' + show(s.status), 'at ' + ms(s.atMicros)];
    default: return [show(s.kind), ''];
  }
}

function showTrace(target, t) {
  const trace = t.trace || {};
  const req = t.request || {};
  const steps = trace.steps || [];
  const boxes = [h('div', { class: 'step', 'data-kind': 'client' }, h('b', {}, 'Client'),
    h('small', {}, show(req.method) + ' ' + show(req.host, '') + show(req.path, '')))];
  for (const s of steps) {
    const [title, detail] = stepText(s);
    const failed = s.kind === 'retry' || (s.kind === 'response' && s.status >= 500);
    boxes.push(h('div', { class: 'step' + (failed ? ' fail' : ''), 'data-kind': s.kind },
      h('b', {}, title), h('small', {}, detail), h('small', {}, '+' + ms(s.atMicros || 0))));
  }
  const flow = h('div', { class: 'flow', role: 'list', 'aria-label': 'The request’s way' });
  boxes.forEach((b, i) => {
    b.setAttribute('role', 'listitem');
    if (i) flow.append(h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'));
    flow.append(b);
  });
  const r = t.response || {};
  target.replaceChildren(h('h2', { tabindex: '-1', id: 'trace-title' }, 'Its way through Frontdesk (' + ms(trace.durationMicros) + ')'), flow,
    h('h2', {}, 'Response ' + show(r.status)), table([['Header', x => x[0]], ['Value', x => x[1]]], Object.entries(r.headers || {})),
    h('pre', {}, show(r.body, '(no body)') + (r.truncated ? '\n… (' + r.bodyBytes + ' bytes)' : '')),
    trace.requestId ? h('p', {}, h('a', { href: '#/logs?requestId=' + enc(trace.requestId) }, 'This request in the access log')) : null);
  // The result is below the form: bring it into view and move focus to it.
  target.scrollIntoView({ block: 'start' });
  target.querySelector('#trace-title').focus({ preventScroll: true });
  boxes.forEach((b, i) => setTimeout(() => b.classList.add('shown'), 150 * i));
}
