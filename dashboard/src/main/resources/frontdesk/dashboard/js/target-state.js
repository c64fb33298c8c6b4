// One upstream target's state as an operator needs it to explain an outage: the state with its
// reason and since when, from the API's "state"/"reason"/"since" when it sends them, otherwise
// worked out from the detailed fields (active check, passive ejection, circuit).

import { h, badge, show } from './dom.js';
import { ago, when } from './format.js';

const TONES = {
  healthy: 'ok', up: 'ok', available: 'ok', unknown: 'muted', unhealthy: 'bad', down: 'bad', ejected: 'bad',
  'circuit-open': 'bad', 'circuit-half-open': 'warn', 'slow-start': 'warn', draining: 'warn',
};

/** {state, reason, since} of a target from /upstreams/{name}/health (or /health/upstreams). */
export function targetState(t, activeChecks) {
  const active = t.active || {};
  const passive = t.passive || {};
  if (t.state) return { state: t.state, reason: t.reason || null, since: t.since || null };
  if (passive.ejected) {
    return { state: 'ejected', reason: passive.lastEjectionReason || 'failed on live traffic', since: null };
  }
  if (t.circuit === 'open') return { state: 'circuit-open', reason: 'too many failures in a row', since: null };
  // Without the API's "since" the start of an outage is unknown (lastCheckAt is only the latest check).
  if (active.verdict === 'unhealthy') return { state: 'unhealthy', reason: active.lastCheck || null, since: null };
  if (active.verdict === 'healthy') return { state: t.slowStarting ? 'slow-start' : 'healthy', reason: active.lastCheck || null, since: null };
  if (activeChecks) return { state: 'unknown', reason: 'no active check has finished yet', since: null };
  if (t.available === false) return { state: 'down', reason: null, since: null };
  return { state: 'unknown', reason: 'no active checks; judged by live traffic only', since: null };
}

export function stateBadge(state) {
  return badge(show(state, 'unknown'), TONES[state] || 'warn');
}

/** The state cell: badge, then the reason and since when. */
export function stateCell(t, activeChecks) {
  const s = targetState(t, activeChecks);
  return h('div', { class: 'state' }, stateBadge(s.state),
    s.reason ? h('div', { class: 'reason' }, s.reason) : null,
    s.since ? h('small', { class: 'muted', title: when(s.since) }, 'since ' + ago(s.since)) : null);
}

/** The last active check: its result and when it ran. */
export function lastCheckCell(t, activeChecks) {
  const a = t.active || {};
  if (!activeChecks) return h('span', { class: 'muted' }, 'off');
  if (!a.lastCheckAt) return h('span', { class: 'muted' }, 'not run yet');
  const s = targetState(t, activeChecks);
  // The state cell shows the check's text already when the check is what decided the state.
  const text = s.reason === a.lastCheck ? (a.verdict === 'unhealthy' ? 'failed' : a.verdict === 'healthy' ? 'passed' : show(a.verdict)) : show(a.lastCheck, show(a.verdict));
  return h('div', {}, h('span', { class: a.verdict === 'unhealthy' ? 'bad' : a.verdict === 'healthy' ? 'ok' : '' }, text),
    h('small', { class: 'muted', title: when(a.lastCheckAt) }, ' ' + ago(a.lastCheckAt)));
}

/** Passive ejection: "no", or "ejected for 9 s: <reason>", with the count of ejections. */
export function ejectionCell(t) {
  const p = t.passive || {};
  if (p.ejected) {
    return h('div', {}, badge('ejected', 'bad'), ' ', Math.ceil((p.ejectedForMs || 0) / 1000) + ' s left',
      p.lastEjectionReason ? h('div', { class: 'reason' }, p.lastEjectionReason) : null);
  }
  const n = p.ejections || 0;
  return h('span', { class: 'muted' }, n === 0 ? 'never' : 'no (' + n + ' before' + (p.lastEjectionReason ? ': ' + p.lastEjectionReason : '') + ')');
}

export function circuitCell(t) {
  const c = t.circuit;
  return c === 'closed' ? h('span', { class: 'muted' }, 'closed') : badge(show(c), c === 'open' ? 'bad' : 'warn');
}
