// Signing in and out. Before sign-in the page has no navigation and no Sign-out button at all:
// the header is built only for a signed-in session and emptied again when it ends.

import { h } from './dom.js';
import { api, session, whenUnauthorized, API } from './api.js';
import { form } from './forms.js';
import { render, DEFAULT_PAGE } from './router.js';

/** The sections in the navigation; data-also lists the detail pages that belong to one. */
const SECTIONS = [
  ['overview', 'Overview'], ['sites', 'Sites', 'site'], ['routes', 'Routes', 'route'],
  ['upstreams', 'Upstreams', 'upstream'], ['plugins', 'Plugins', 'plugin'], ['live', 'Live'], ['logs', 'Logs'],
  ['tracer', 'Tracer'], ['nodes', 'Nodes'], ['history', 'History'], ['access', 'Access'], ['api', 'API'],
];

let leaving = () => {};

/** Called on sign-out and when the session ends, to stop what the current page runs. */
export function onSignOut(fn) {
  leaving = fn;
}

export function showLogin(message) {
  session.me = null;
  leaving();
  document.getElementById('top').replaceChildren();
  document.getElementById('top').hidden = true;
  delete document.getElementById('main').dataset.shown;
  document.title = 'Sign in · Frontdesk';
  const login = form([
    { name: 'name', label: 'Account', value: 'admin', autocomplete: 'username' },
    { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
  ], 'Sign in', async v => {
    signedIn(await api('POST', '/auth/login', { name: v.name, password: v.password }));
  }, { label: 'Sign in' });
  document.getElementById('main').replaceChildren(h('div', { class: 'login' },
    h('div', { class: 'login-brand' }, h('img', { src: 'favicon.svg', alt: '', width: 40, height: 40 }), h('span', {}, 'Frontdesk')),
    h('h1', {}, 'Sign in to Frontdesk'),
    message ? h('p', { class: 'notice', role: 'status' }, message) : null,
    login,
    h('p', { class: 'muted small' }, 'The first password is in FRONTDESK_ADMIN_PASSWORD or in the file the console names ',
      '(<data-dir>/initial-admin-password).')));
  const pw = login.querySelector('input[type=password]');
  if (pw) pw.focus();
}

export function signedIn(s) {
  session.me = s;
  buildHeader(s);
  if (!location.hash || location.hash === '#/' || location.hash === '#') location.replace(DEFAULT_PAGE); // renders on hashchange
  else render();
}

function buildHeader(s) {
  const top = document.getElementById('top');
  const nav = h('nav', { id: 'nav', 'aria-label': 'Sections' },
    h('ul', {}, SECTIONS.map(([id, label, also]) => h('li', {}, h('a', { href: '#/' + id, 'data-also': also || null }, label)))));
  top.replaceChildren(
    h('a', { class: 'brand', href: DEFAULT_PAGE }, h('img', { src: 'favicon.svg', alt: '', width: 22, height: 22 }), 'Frontdesk'),
    nav,
    h('div', { class: 'who' }, h('span', { id: 'who' }, s.name + ' (' + s.role + ')'),
      h('button', { id: 'signout', type: 'button', onclick: signOut }, 'Sign out')));
  top.hidden = false;
}

async function signOut() {
  await api('POST', '/auth/logout').catch(() => null);
  showLogin('Signed out.');
}

/** Starts the app: an existing session goes straight to its page, otherwise the sign-in form. */
export async function start() {
  whenUnauthorized(showLogin);
  try {
    const res = await fetch(API + '/auth/session', { credentials: 'same-origin' });
    const s = res.ok ? await res.json() : null;
    if (s && s.signedIn) signedIn(s); else showLogin();
  } catch (e) {
    showLogin('The admin server is unreachable.');
  }
}
