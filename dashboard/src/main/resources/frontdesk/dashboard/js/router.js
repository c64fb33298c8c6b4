// Hash routing: #/<page>/<name>?<params>. Each page is an async function that fetches what it
// shows and renders it with page(); leaving a page runs the cleanups it registered (timers, streams).

import { h, append } from './dom.js';
import { ApiError, session } from './api.js';

export const DEFAULT_PAGE = '#/overview';

let routes = [];
let cleanups = [];
let rendering = 0; // counts renders, so a late failure of an older one is not shown

/** routes: [[regex over the hash, match => Promise]], tried in order. */
export function setRoutes(list) {
  routes = list;
}

const main = () => document.getElementById('main');

/** Renders a page: its title, then the content (absent parts are skipped). */
export function page(title, ...content) {
  const m = main();
  m.replaceChildren();
  append(m, [h('h1', {}, title), content]);
  document.title = title + ' · Frontdesk';
}

/** Runs fn when the user leaves the current page. */
export function onLeave(fn) {
  cleanups.push(fn);
}

/** The current page's query parameters (after '?' in the hash). */
export function params() {
  return new URLSearchParams(location.hash.split('?')[1] || '');
}

export function go(hash) {
  if (location.hash === hash) rerender();
  else location.hash = hash;
}

/** Renders the current hash again (after a change), keeping the scroll position. */
export async function rerender() {
  const y = window.scrollY;
  await render(false);
  window.scrollTo(0, y);
}

/** Runs the current page's cleanups (its timers and streams). */
export function leave() {
  cleanups.splice(0).forEach(fn => { try { fn(); } catch (e) { /* a cleanup must not stop the next page */ } });
}

// Renders run one after another, so a slow page that finishes late cannot draw over the page
// shown after it, nor leave its timers running: the next render's leave() stops them. A render
// that takes longer than this no longer holds up the next one.
const WAIT_FOR_PREVIOUS_MS = 3000;
let queue = Promise.resolve();

export function render(focus = true) {
  const previous = Promise.race([queue, new Promise(r => setTimeout(r, WAIT_FOR_PREVIOUS_MS))]);
  const run = previous.then(() => show(focus));
  queue = run.catch(() => {});
  return run;
}

async function show(focus) {
  if (!session.me) return;
  leave();
  const hash = location.hash && location.hash !== '#' && location.hash !== '#/' ? location.hash : DEFAULT_PAGE;
  markCurrent(hash);
  const ticket = ++rendering;
  for (const [re, fn] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    // aria-busy while the page loads; data-shown names the address the page shows once it is done
    // (assistive technology and the browser tests wait for these).
    main().setAttribute('aria-busy', 'true');
    try {
      await fn(m);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      if (ticket !== rendering) return;
      page(e instanceof ApiError && e.status === 404 ? 'Not found' : 'Something went wrong',
        h('p', { class: 'bad', role: 'alert' }, e.message),
        h('p', {}, h('a', { href: DEFAULT_PAGE }, 'Back to the overview')));
    } finally {
      main().removeAttribute('aria-busy');
      main().dataset.shown = hash;
    }
    if (focus && ticket === rendering) {
      window.scrollTo(0, 0);
      main().focus({ preventScroll: true });
    }
    return;
  }
  location.replace(DEFAULT_PAGE);
}

function markCurrent(hash) {
  const section = hash.split('?')[0].split('/')[1] || '';
  for (const a of document.querySelectorAll('#nav a')) {
    const own = a.getAttribute('href').slice(2);
    const also = (a.dataset.also || '').split(' ');
    if (section === own || also.includes(section)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}
