// The API explorer: swagger-ui (from its WebJar, loaded on first use) over the admin API's
// OpenAPI document. "Try it out" runs with the signed-in session: the cookie goes along, and
// changes carry the session's CSRF header, as the dashboard's own calls do.

import { h } from '../dom.js';
import { API, session } from '../api.js';
import { page } from '../router.js';

const SWAGGER = '/webjars/swagger-ui/5.34.1/';
let loading = null;

function load() {
  if (window.SwaggerUIBundle) return Promise.resolve();
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      document.head.append(h('link', { rel: 'stylesheet', href: SWAGGER + 'swagger-ui.css' }));
      const script = h('script', { src: SWAGGER + 'swagger-ui-bundle.js' });
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => { loading = null; reject(new Error('swagger-ui could not be loaded from ' + SWAGGER)); });
      document.head.append(script);
    });
  }
  return loading;
}

export async function apiExplorerPage() {
  const box = h('div', { class: 'swagger-host', id: 'swagger' }, h('p', { class: 'muted' }, 'Loading the API explorer…'));
  page('API explorer',
    h('p', {}, 'Every endpoint of the admin API, from ', h('a', { href: API + '/openapi.json' }, API + '/openapi.json'),
      '. “Try it out” sends real requests as you (', session.me ? session.me.name + ', ' + session.me.role : 'signed in',
      '): changes are made and recorded in History like any other.'),
    box);
  await load();
  if (!box.isConnected) return;
  box.replaceChildren();
  window.SwaggerUIBundle({
    url: API + '/openapi.json',
    domNode: box,
    deepLinking: false, // the hash is the dashboard's address
    validatorUrl: null,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    requestInterceptor: req => {
      const method = String(req.method || 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD' && session.me && session.me.csrfToken) req.headers['X-CSRF-Token'] = session.me.csrfToken;
      req.credentials = 'same-origin';
      return req;
    },
  });
}
