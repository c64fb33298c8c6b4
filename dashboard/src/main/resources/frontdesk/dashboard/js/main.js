// Frontdesk dashboard: a small single-page app over the admin API (/api/v1), in plain ES modules
// with no build step. This file wires the pages to their addresses and starts the session.

import { setRoutes, render, rerender, leave } from './router.js';
import { start, onSignOut } from './session.js';
import { overviewPage } from './pages/overview.js';
import { sitesPage, sitePage } from './pages/sites.js';
import { routesPage, routePage } from './pages/routes.js';
import { upstreamsPage, upstreamPage } from './pages/upstreams.js';
import { pluginsPage } from './pages/plugins.js';
import { pluginPage } from './pages/plugin.js';
import { livePage } from './pages/live.js';
import { logsPage } from './pages/logs.js';
import { tracerPage } from './pages/tracer.js';
import { nodesPage } from './pages/nodes.js';
import { historyPage } from './pages/history.js';
import { accessPage } from './pages/access.js';
import { apiExplorerPage } from './pages/api-explorer.js';

const name = m => decodeURIComponent(m[1]);

setRoutes([
  [/^#\/overview(\?|$)/, overviewPage],
  [/^#\/sites(\?|$)/, sitesPage], [/^#\/site\/([^?]+)/, m => sitePage(name(m))],
  [/^#\/routes(\?|$)/, routesPage], [/^#\/route\/([^?]+)/, m => routePage(name(m))],
  [/^#\/upstreams(\?|$)/, upstreamsPage], [/^#\/upstream\/([^?]+)/, m => upstreamPage(name(m))],
  [/^#\/plugins(\?|$)/, pluginsPage], [/^#\/plugin\/([^?]+)/, m => pluginPage(name(m))],
  [/^#\/live(\?|$)/, livePage], [/^#\/logs(\?|$)/, logsPage], [/^#\/tracer(\?|$)/, tracerPage],
  [/^#\/nodes(\?|$)/, nodesPage], [/^#\/history(\?|$)/, historyPage], [/^#\/access(\?|$)/, accessPage],
  [/^#\/api(\?|$)/, apiExplorerPage],
]);

window.addEventListener('hashchange', () => render());
// Charts take their colours when drawn: draw again when the system switches light/dark.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => rerender());

// The skip link moves focus without touching the hash (the hash is the app's address).
document.querySelector('.skip').addEventListener('click', e => {
  e.preventDefault();
  document.getElementById('main').focus();
});

onSignOut(leave);
start();
