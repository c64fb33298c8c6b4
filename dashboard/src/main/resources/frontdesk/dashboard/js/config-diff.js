// A change of the configuration by names: which sites, routes, upstreams and bindings were added,
// removed or changed, and which fields of them. From the API's GET /history/{v}/diff when it has
// it (fromApiChanges), else worked out here from two history documents, with ids replaced by the
// names they stand for (configDiff).

const IGNORED = new Set(['id', 'createdAt', 'updatedAt', 'version']);

function index(doc) {
  const names = {};
  for (const kind of ['sites', 'upstreams', 'routes']) for (const x of doc[kind] || []) names[x.id] = x.name;
  return names;
}

/** A document's resources keyed "kind name", with references as names. */
function resources(doc) {
  const names = index(doc);
  const out = new Map();
  const put = (kind, name, value) => out.set(kind + '\u0000' + name, { kind, name, value });
  for (const s of doc.sites || []) put('site', s.name, s);
  for (const u of doc.upstreams || []) put('upstream', u.name, u);
  for (const r of doc.routes || []) {
    const { siteId, upstreamId, ...rest } = r;
    put('route', r.name, { ...rest, site: names[siteId] ?? r.site ?? siteId, upstream: names[upstreamId] ?? r.upstream ?? upstreamId });
  }
  for (const b of doc.bindings || []) {
    const plugin = b.plugin || b.pluginId;
    const target = b.target ?? names[b.siteId] ?? names[b.routeId] ?? b.siteId ?? b.routeId;
    const { siteId, routeId, targetId, ...rest } = b;
    put('binding', plugin + ' on ' + (b.scope === 'global' ? 'global' : b.scope + ' ' + target), { ...rest, target });
  }
  for (const [k, v] of Object.entries(doc)) {
    if (['sites', 'upstreams', 'routes', 'bindings'].includes(k) || IGNORED.has(k)) continue;
    put('setting', k, { value: v });
  }
  return out;
}

/** Flattens nested objects to "healthCheck.active.path" → value (arrays stay whole). */
function flat(obj, prefix, out) {
  for (const [k, v] of Object.entries(obj || {})) {
    if (IGNORED.has(k) && !prefix) continue;
    const key = prefix ? prefix + '.' + k : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) flat(v, key, out);
    else out[key] = v;
  }
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** @return [{kind, name, change: 'added'|'removed'|'changed', fields: [{field, before, after}]}] */
export function configDiff(before, after) {
  const a = resources(before || {});
  const b = resources(after || {});
  const out = [];
  for (const [key, x] of b) {
    const old = a.get(key);
    if (!old) { out.push({ kind: x.kind, name: x.name, change: 'added', fields: fieldsOf({}, x.value) }); continue; }
    const fields = fieldsOf(old.value, x.value);
    if (fields.length) out.push({ kind: x.kind, name: x.name, change: 'changed', fields });
  }
  for (const [key, x] of a) if (!b.has(key)) out.push({ kind: x.kind, name: x.name, change: 'removed', fields: [] });
  return out;
}

/**
 * Groups the API's changes ({type, object, change, field, before, after}, one per field, or one
 * per whole object added or removed) into the shape configDiff answers.
 */
export function fromApiChanges(changes) {
  const groups = new Map();
  for (const c of changes) {
    const key = c.type + '\u0000' + c.object;
    if (!groups.has(key)) groups.set(key, { kind: c.type, name: c.object, change: c.change, fields: [] });
    const g = groups.get(key);
    if (c.field) g.fields.push({ field: c.field, before: c.before, after: c.after });
    else if (c.change === 'added' && c.after && typeof c.after === 'object') g.fields.push(...fieldsOf({}, c.after));
  }
  return [...groups.values()];
}

function fieldsOf(before, after) {
  const fa = flat(before, '', {});
  const fb = flat(after, '', {});
  const fields = [];
  for (const k of new Set([...Object.keys(fa), ...Object.keys(fb)])) {
    if (k === 'name' && fa[k] === undefined) continue;
    if (!same(fa[k], fb[k])) fields.push({ field: k, before: fa[k], after: fb[k] });
  }
  return fields;
}

/** A value as short readable text. */
export function valueText(v) {
  if (v === undefined) return '(none)';
  if (v === null) return '(not set)';
  if (Array.isArray(v)) return v.length ? v.map(itemText).join(', ') : '(empty)';
  if (typeof v === 'object') return Object.keys(v).length ? JSON.stringify(v) : '(empty)';
  return String(v);
}

function itemText(x) {
  if (x && typeof x === 'object' && x.host !== undefined && x.port !== undefined) {
    return x.host + ':' + x.port + (x.weight && x.weight !== 1 ? ' weight ' + x.weight : '');
  }
  return x && typeof x === 'object' ? JSON.stringify(x) : String(x);
}
