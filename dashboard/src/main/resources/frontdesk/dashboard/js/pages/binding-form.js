// The binding form, the same for adding and editing: where the plugin runs (globally, a site, a
// route), its place in the chain, enabled, fail-open, and its configuration as fields generated
// from the plugin's JSON Schema, filled from the binding (or the schema's defaults).

import { api, enc } from '../api.js';
import { form, num, val } from '../forms.js';
import { schemaFields, schemaValues } from '../schema-form.js';

/** The choices of "Where": value "global", "site:<name>" or "route:<name>". */
function places(sites, routes) {
  return [['global', 'Global (all traffic)']]
    .concat(sites.map(s => ['site:' + s, 'Site ' + s]), routes.map(r => ['route:' + r, 'Route ' + r]));
}

export function bindingForm(plugin, binding, sites, routes, onSaved, onCancel) {
  const schema = plugin.configSchema || {};
  const configItems = schemaFields(schema, binding ? binding.config : undefined, 'config');
  const where = binding ? (binding.scope === 'global' ? 'global' : binding.scope + ':' + binding.target) : 'global';
  const items = [
    { legend: 'Where and when', layout: 'row', fields: [
      { name: 'where', label: 'Where', type: 'select', options: places(sites, routes), value: where, errorKeys: ['scope', 'target'] },
      { name: 'priority', label: 'Priority', type: 'number', step: 1, value: val(binding && binding.priority),
        placeholder: 'plugin default ' + val(plugin.defaultPriority), help: 'Lower runs earlier on the way in; empty: the plugin’s default.' },
      { name: 'enabled', label: 'Enabled', type: 'checkbox', value: !binding || binding.enabled !== false },
      { name: 'failOpen', label: 'Fail open (skip it when it fails or is missing, instead of answering 5xx)', type: 'checkbox',
        value: !!(binding && binding.failOpen) },
    ] },
  ];
  if (configItems.length) items.push({ legend: 'Configuration', layout: 'row', fields: configItems });
  return form(items, binding ? 'Save binding' : 'Add binding', async v => {
    const [scope, target] = v.where === 'global' ? ['global', undefined] : v.where.split(/:(.*)/s);
    const body = { scope, target, config: schemaValues(configItems, v), priority: num(v.priority) ?? null,
      enabled: v.enabled, failOpen: v.failOpen };
    const base = '/plugins/' + enc(plugin.id) + '/bindings';
    const saved = binding ? await api('PUT', base + '/' + enc(binding.id), body) : await api('POST', base, body);
    onSaved(saved);
  }, { label: binding ? 'Edit binding' : 'Add a binding', cancel: onCancel || null });
}
