// Extra parts of a plugin's page that only one plugin has (its own admin endpoints), keyed by
// plugin id. A panel is an async function ({plugin, bindings}) => content for page(); it may
// register cleanups with the router's onLeave().

import { cachePanel } from './cache-panel.js';

const PANELS = { cache: cachePanel };

/** The panel of plugin {@code id}, or null. */
export function panelFor(id) {
  return Object.prototype.hasOwnProperty.call(PANELS, id) ? PANELS[id] : null;
}
