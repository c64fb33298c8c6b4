// The upstream form, the same for creating and editing: targets with weights, balancing,
// timeouts, active and passive health checks, retries and the circuit breaker. Field names are
// the API's field paths (healthCheck.active.path), so its 400 errors land next to their inputs.

import { api, enc, ApiError } from '../api.js';
import { form, num, val } from '../forms.js';
import { list } from '../format.js';
import { rowList } from '../row-list.js';

/** The API's defaults, shown in a new upstream's form. */
const DEFAULTS = {
  algorithm: 'weighted-round-robin', connectTimeoutMs: 3000, readTimeoutMs: 60000, maxConnectionsPerTarget: 0,
  healthCheck: {
    active: null, slowStartMs: 0,
    passive: { enabled: true, consecutiveFailures: 5, consecutiveGatewayFailures: 3, errorRatePercent: 50, windowMs: 10000,
      minRequests: 20, baseEjectionMs: 10000, maxEjectionMs: 300000, maxEjectionPercent: 50 },
  },
  retries: { attempts: 1, retryOn: ['connect-failure', 'reset'], budgetPercent: 20, minRetriesPerSecond: 10, maxBodyBytes: 65536 },
  circuitBreaker: { enabled: false, failureThreshold: 5, openMs: 10000, halfOpenProbes: 1 },
};
const ACTIVE_DEFAULTS = { type: 'http', method: 'GET', path: '/', expectedStatuses: ['200-399'], intervalMs: 5000, timeoutMs: 2000,
  healthyThreshold: 2, unhealthyThreshold: 3, host: null, bodyContains: null };
const RETRY_KINDS = 'connect-failure, reset, timeout, 502, 503, 504';

const get = (o, path) => path.split('.').reduce((x, k) => (x === null || x === undefined ? undefined : x[k]), o);

/** The algorithms this node has: the built-in one and every plugin's "balancer:<name>". */
export function algorithms(plugins, current) {
  const names = new Set(['weighted-round-robin']);
  for (const p of plugins) for (const e of p.extensions || []) if (e.startsWith('balancer:')) names.add(e.slice(9));
  if (current) names.add(current);
  return [...names].sort();
}

export function upstreamForm(upstream, algorithmNames, onSaved) {
  const u = upstream || DEFAULTS;
  const active = (u.healthCheck && u.healthCheck.active) || null;
  const a = active || ACTIVE_DEFAULTS;
  const pick = path => val(get(u, path) ?? get(DEFAULTS, path));
  const n = (name, label, help, value) => ({ name, label, type: 'number', value: value ?? pick(name), help, min: 0 });
  const targets = rowList({
    path: 'targets', itemName: 'target', addLabel: 'Add a target', keepOne: true,
    rows: (upstream ? upstream.targets : []).map(t => ({ ...t, maxConnections: t.maxConnections || '' })),
    columns: [
      { key: 'host', label: 'Host', placeholder: '10.0.0.5 or app.internal' },
      { key: 'port', label: 'Port', type: 'number', placeholder: '8080', min: 1 },
      { key: 'weight', label: 'Weight', type: 'number', placeholder: '1', min: 1 },
      { key: 'maxConnections', label: 'Max in flight', type: 'number', placeholder: 'upstream’s', min: 0 },
    ],
  });
  return form([
    { legend: 'Upstream', layout: 'row', fields: [
      { name: 'name', label: 'Name', value: val(upstream && upstream.name), placeholder: 'app' },
      { name: 'algorithm', label: 'Balancing', type: 'select', options: algorithmNames, value: pick('algorithm') },
    ] },
    { name: 'targets', label: 'Targets', control: targets,
      help: 'The backend servers. Weight shares traffic between them; Max in flight caps one target (empty: the upstream’s limit).' },
    { legend: 'Timeouts and limits', layout: 'row', fields: [
      n('connectTimeoutMs', 'Connect timeout (ms)'), n('readTimeoutMs', 'Read timeout (ms)', 'Longest wait for the next byte of the answer.'),
      n('maxConnectionsPerTarget', 'Max in flight per target', '0 = unlimited.'),
    ] },
    { legend: 'Active health check', collapsed: !active, layout: 'row',
      help: 'Probes every target on a timer; an unhealthy target gets no traffic until it passes again.', fields: [
        { name: 'activeOn', label: 'Check targets actively', type: 'checkbox', value: !!active, errorKeys: ['healthCheck.active'] },
        { name: 'healthCheck.active.type', label: 'Kind', type: 'select', options: [['http', 'HTTP request'], ['tcp', 'TCP connect']], value: a.type || 'http' },
        { name: 'healthCheck.active.method', label: 'Method', value: val(a.method) },
        { name: 'healthCheck.active.path', label: 'Path', value: val(a.path), placeholder: '/health' },
        { name: 'healthCheck.active.expectedStatuses', label: 'Healthy statuses', value: (a.expectedStatuses || []).join(', '), placeholder: '200-399' },
        n('healthCheck.active.intervalMs', 'Every (ms)', null, val(a.intervalMs)),
        n('healthCheck.active.timeoutMs', 'Timeout (ms)', null, val(a.timeoutMs)),
        n('healthCheck.active.healthyThreshold', 'Passes to be healthy', null, val(a.healthyThreshold)),
        n('healthCheck.active.unhealthyThreshold', 'Failures to be unhealthy', null, val(a.unhealthyThreshold)),
        { name: 'healthCheck.active.host', label: 'Host header', value: val(a.host), placeholder: 'the target’s address' },
        { name: 'healthCheck.active.bodyContains', label: 'Body must contain', value: val(a.bodyContains), placeholder: 'not checked' },
      ] },
    { legend: 'Passive health (outlier ejection)', collapsed: true, layout: 'row',
      help: 'Takes a target out of rotation for a while when live traffic to it fails.', fields: [
        { name: 'healthCheck.passive.enabled', label: 'Eject failing targets', type: 'checkbox', value: pick('healthCheck.passive.enabled') !== false },
        n('healthCheck.passive.consecutiveFailures', '5xx in a row'), n('healthCheck.passive.consecutiveGatewayFailures', 'Connect failures in a row'),
        n('healthCheck.passive.errorRatePercent', 'Error share (%)', '0 = off.'), n('healthCheck.passive.windowMs', 'Over (ms)'),
        n('healthCheck.passive.minRequests', 'Fewest requests'), n('healthCheck.passive.baseEjectionMs', 'First ejection (ms)'),
        n('healthCheck.passive.maxEjectionMs', 'Longest ejection (ms)'), n('healthCheck.passive.maxEjectionPercent', 'Most ejected at once (%)'),
        n('healthCheck.slowStartMs', 'Slow start (ms)', 'A recovered target ramps its weight up over this time; 0 = off.'),
      ] },
    { legend: 'Retries and circuit breaker', collapsed: true, layout: 'row', fields: [
      n('retries.attempts', 'Retries per request', '0 = off.'),
      { name: 'retries.retryOn', label: 'Retry on', value: list((get(u, 'retries.retryOn') || DEFAULTS.retries.retryOn).join(',')).join(', '),
        help: 'Any of ' + RETRY_KINDS + '.' },
      n('retries.budgetPercent', 'Retry budget (%)'), n('retries.minRetriesPerSecond', 'Retries/s on top'),
      n('retries.maxBodyBytes', 'Largest replayed body (bytes)'),
      { name: 'circuitBreaker.enabled', label: 'Circuit breaker per target', type: 'checkbox', value: !!pick('circuitBreaker.enabled') },
      n('circuitBreaker.failureThreshold', 'Failures to open'), n('circuitBreaker.openMs', 'Open for (ms)'),
      n('circuitBreaker.halfOpenProbes', 'Probes when half-open'),
    ] },
    { legend: 'Algorithm options', collapsed: true, fields: [
      { name: 'algorithmConfig', label: 'Options (JSON)', type: 'textarea', value: JSON.stringify(u.algorithmConfig || {}, null, 1),
        help: 'For consistent-hash, e.g. {"key": "header:X-User"}; {} for none.', wide: true },
    ] },
  ], upstream ? 'Save upstream' : 'Create upstream', async v => {
    let algorithmConfig;
    try {
      algorithmConfig = v.algorithmConfig.trim() ? JSON.parse(v.algorithmConfig) : {};
    } catch (e) {
      throw new ApiError(400, { message: 'the form has invalid fields',
        errors: [{ field: 'algorithmConfig', message: 'is not valid JSON: ' + e.message }] });
    }
    const body = {
      name: v.name.trim(), targets: v.targets, algorithm: v.algorithm, algorithmConfig,
      connectTimeoutMs: num(v.connectTimeoutMs), readTimeoutMs: num(v.readTimeoutMs), maxConnectionsPerTarget: num(v.maxConnectionsPerTarget),
      healthCheck: {
        active: v.activeOn ? {
          type: v['healthCheck.active.type'], method: v['healthCheck.active.method'].trim() || 'GET',
          path: v['healthCheck.active.path'].trim() || '/', expectedStatuses: list(v['healthCheck.active.expectedStatuses']),
          intervalMs: num(v['healthCheck.active.intervalMs']), timeoutMs: num(v['healthCheck.active.timeoutMs']),
          healthyThreshold: num(v['healthCheck.active.healthyThreshold']), unhealthyThreshold: num(v['healthCheck.active.unhealthyThreshold']),
          host: v['healthCheck.active.host'].trim() || null, bodyContains: v['healthCheck.active.bodyContains'] || null,
        } : null,
        passive: { enabled: v['healthCheck.passive.enabled'] },
        slowStartMs: num(v['healthCheck.slowStartMs']),
      },
      retries: { retryOn: list(v['retries.retryOn']) },
      circuitBreaker: { enabled: v['circuitBreaker.enabled'] },
    };
    for (const k of ['consecutiveFailures', 'consecutiveGatewayFailures', 'errorRatePercent', 'windowMs', 'minRequests',
      'baseEjectionMs', 'maxEjectionMs', 'maxEjectionPercent']) body.healthCheck.passive[k] = num(v['healthCheck.passive.' + k]);
    for (const k of ['attempts', 'budgetPercent', 'minRetriesPerSecond', 'maxBodyBytes']) body.retries[k] = num(v['retries.' + k]);
    for (const k of ['failureThreshold', 'openMs', 'halfOpenProbes']) body.circuitBreaker[k] = num(v['circuitBreaker.' + k]);
    const saved = upstream ? await api('PUT', '/upstreams/' + enc(upstream.id), body) : await api('POST', '/upstreams', body);
    onSaved(saved);
  }, { label: upstream ? 'Edit upstream ' + upstream.name : 'Add an upstream' });
}
