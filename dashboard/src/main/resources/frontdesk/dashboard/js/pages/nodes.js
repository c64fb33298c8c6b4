// Nodes: every node sharing the database, whether it is alive and runs the current configuration.

import { h, empty, table, badge, show } from '../dom.js';
import { api } from '../api.js';
import { page } from '../router.js';
import { ago, when } from '../format.js';

function uptime(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const m = Math.round(seconds / 60);
  return m < 120 ? m + ' min' : m < 2880 ? Math.round(m / 60) + ' h' : Math.round(m / 1440) + ' d';
}

export async function nodesPage() {
  const data = await api('GET', '/nodes');
  const behind = data.items.filter(n => n.alive && !n.upToDate);
  page('Nodes',
    behind.length ? h('p', { class: 'notice warn', role: 'status' }, behind.length + ' node(s) behind on config. A node catches up on its own; ',
      'if one stays behind, its log says why (often a plugin it lacks).') : null,
    data.items.length === 0 ? empty('No nodes have reported yet. A node reports within seconds of starting.') : table([
      ['Node', n => h('code', {}, show(n.id))],
      ['Alive', n => (n.alive ? badge('alive', 'ok') : h('span', { title: when(n.lastSeen) }, badge('silent', 'bad'), ' last seen ' + ago(n.lastSeen)))],
      ['Config version', n => h('span', { class: n.upToDate ? 'ok' : 'warn' }, show(n.configVersion) + (n.upToDate ? ' (current)' : ' (behind)'))],
      ['Uptime', n => uptime(n.uptimeSeconds)],
      ['Version', n => show(n.version)],
      ['Traffic', n => (n.info && n.info.requestsPerSecond !== undefined ? n.info.requestsPerSecond + ' req/s' : '—')],
      ['Problem', n => (n.info && n.info.configError ? h('span', { class: 'bad' }, n.info.configError) : '—')],
    ], data.items));
}
