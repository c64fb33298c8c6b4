// Form fields generated from a plugin's JSON Schema, filled with a configuration (or the schema's
// defaults): enums are selects, booleans checkboxes, numbers number inputs, strings text inputs,
// string lists comma-separated inputs, string maps "name: value" lines, nested objects their own
// group; anything else is edited as JSON. Field names are API paths (config.request.set), so the
// API's field errors land on them.

import { ApiError } from './api.js';
import { list } from './format.js';

const typeOf = p => (Array.isArray(p.type) ? p.type.find(t => t !== 'null') : p.type);
const isStringList = p => typeOf(p) === 'array' && p.items && (typeOf(p.items) === 'string' || p.items.enum);
const isStringMap = p => typeOf(p) === 'object' && !p.properties && p.additionalProperties && typeof p.additionalProperties === 'object'
  && typeOf(p.additionalProperties) === 'string';

/** @return form items for the schema's properties under prefix (e.g. "config"), filled from value */
export function schemaFields(schema, value, prefix) {
  const props = (schema && schema.properties) || {};
  const required = new Set((schema && schema.required) || []);
  const v = value || {};
  return Object.entries(props).map(([key, p]) => {
    const name = prefix + '.' + key;
    const cur = v[key] !== undefined ? v[key] : p.default;
    const label = (p.title || key) + (required.has(key) ? ' (required)' : '');
    const help = p.description || '';
    const t = typeOf(p);
    if (p.enum) {
      return { name, label, help, type: 'select', value: cur === undefined ? '' : String(cur), kind: 'enum', enumValues: p.enum,
        options: (required.has(key) ? [] : [['', '(default)']]).concat(p.enum.map(x => [String(x), String(x)])) };
    }
    if (t === 'boolean') return { name, label, help, type: 'checkbox', value: cur === true, kind: 'boolean' };
    if (t === 'integer' || t === 'number') {
      return { name, label, help, type: 'number', value: cur === undefined || cur === null ? '' : cur, kind: 'number',
        min: p.minimum, max: p.maximum, step: t === 'integer' ? 1 : 'any' };
    }
    if (t === 'string') return { name, label, help, value: cur === undefined || cur === null ? '' : cur, kind: 'string' };
    if (isStringList(p)) {
      const choices = p.items.enum ? ' One or more of: ' + p.items.enum.join(', ') + '.' : '';
      return { name, label, help: (help + ' Comma-separated.' + choices).trim(), value: (cur || []).join(', '), kind: 'list', wide: true };
    }
    if (isStringMap(p)) {
      return { name, label, type: 'textarea', rows: 3, help: (help + ' One name: value per line.').trim(), kind: 'map', wide: true,
        value: Object.entries(cur || {}).map(([k, x]) => k + ': ' + x).join('\n') };
    }
    if (t === 'object' && p.properties) {
      return { legend: label, help, layout: 'row', kind: 'object', key, fields: schemaFields(p, cur, name) };
    }
    return { name, label: label + ' (JSON)', help, type: 'textarea', rows: 3, kind: 'json', wide: true,
      value: cur === undefined ? '' : JSON.stringify(cur, null, 1) };
  });
}

/**
 * The configuration object from the form's values. Empty inputs are left out, so the plugin's
 * defaults apply; bad JSON is reported like an API field error.
 */
export function schemaValues(items, values) {
  const out = {};
  const errors = [];
  for (const f of items) {
    const key = f.fields ? f.key : f.name.slice(f.name.lastIndexOf('.') + 1);
    if (f.fields) {
      const inner = schemaValues(f.fields, values);
      if (Object.keys(inner).length) out[key] = inner;
      continue;
    }
    const v = values[f.name];
    if (f.kind === 'boolean') { out[key] = v; continue; }
    if (v === '' || v === undefined) continue;
    if (f.kind === 'number') out[key] = Number(v);
    else if (f.kind === 'enum') out[key] = f.enumValues.find(x => String(x) === v) ?? v;
    else if (f.kind === 'list') out[key] = list(v);
    else if (f.kind === 'map') out[key] = parseMap(v);
    else if (f.kind === 'json') {
      try { out[key] = JSON.parse(v); } catch (e) { errors.push({ field: f.name, message: 'is not valid JSON: ' + e.message }); }
    } else out[key] = v;
  }
  if (errors.length) throw new ApiError(400, { message: 'the form has invalid fields', errors });
  return out;
}

function parseMap(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}
