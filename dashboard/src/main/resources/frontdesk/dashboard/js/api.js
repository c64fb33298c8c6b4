// Calls to the admin API (/api/v1): JSON in and out, the session's CSRF token on every change,
// a 401 hands over to the sign-in page, 503 and network failures show a banner.

export const API = '/api/v1';

/** Who is signed in ({name, role, csrfToken}), or null. */
export const session = { me: null };

export const canEdit = () => !!session.me && session.me.role === 'admin';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status;
    this.body = body || {};
  }

  /** The API's field errors: [{field, message}]. */
  get fieldErrors() {
    return Array.isArray(this.body.errors) ? this.body.errors : [];
  }
}

let onUnauthorized = () => {};

/** What to do when the session has ended (set once by the sign-in code). */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/** Headers for a change: the CSRF token of the session. */
export function changeHeaders() {
  return session.me && session.me.csrfToken ? { 'X-CSRF-Token': session.me.csrfToken } : {};
}

export async function api(method, path, body) {
  const headers = method === 'GET' ? {} : changeHeaders();
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(API + path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    banner('The admin server is unreachable (' + e.message + '). Is Frontdesk running?');
    throw e;
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { message: text }; }
  if (res.status === 401 && path !== '/auth/login') {
    session.me = null;
    onUnauthorized('Your session has ended; sign in again.');
    throw new ApiError(401, json);
  }
  if (res.status === 503) banner((json && json.message) || 'The database is unreachable; changes are not possible now.');
  else banner(null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** Like api(), but answers fallback instead of failing (for optional parts of a page). */
export function apiOr(fallback, path) {
  return api('GET', path).catch(e => {
    if (e instanceof ApiError && e.status === 401) throw e;
    return fallback;
  });
}

export function banner(message) {
  const b = document.getElementById('banner');
  if (!b) return;
  b.hidden = !message;
  b.textContent = message || '';
}

export const enc = encodeURIComponent;
