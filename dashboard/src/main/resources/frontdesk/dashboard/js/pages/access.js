// Access: your password; for admins the accounts with their roles and the API tokens (a new
// token is shown once).

import { h, empty, table, section, button, show } from '../dom.js';
import { api, canEdit, session, enc } from '../api.js';
import { page, rerender } from '../router.js';
import { form } from '../forms.js';
import { when } from '../format.js';
import { showLogin } from '../session.js';

export async function accessPage() {
  const admin = canEdit();
  const [users, tokens] = admin ? await Promise.all([api('GET', '/users'), api('GET', '/tokens')]) : [{ items: [] }, { items: [] }];
  page('Access',
    section('Your password', session.me && session.me.csrfToken ? form([
      { name: 'current', label: 'Current password', type: 'password', autocomplete: 'current-password' },
      { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', help: 'At least 12 characters.' },
    ], 'Change password', async v => {
      await api('POST', '/auth/password', { current: v.current, password: v.password });
      showLogin('Password changed; sign in again.');
    }, { label: 'Change your password' }) : h('p', { class: 'muted' }, 'Signed in with a token.')),
    admin ? section('Accounts', table([
      ['Name', u => show(u.name)], ['Role', u => show(u.role)], ['Since', u => when(u.createdAt)],
      ['Actions', u => h('span', { class: 'actions' },
        button(u.role === 'admin' ? 'Make viewer' : 'Make admin', async () => {
          try { await api('PATCH', '/users/' + enc(u.name), { role: u.role === 'admin' ? 'viewer' : 'admin' }); rerender(); } catch (e) { alert(e.message); }
        }, { class: 'small' }),
        button('Remove', async () => {
          if (!confirm('Remove the account ' + u.name + '?')) return;
          try { await api('DELETE', '/users/' + enc(u.name)); rerender(); } catch (e) { alert(e.message); }
        }, { class: 'small danger', 'aria-label': 'Remove account ' + u.name }))],
    ], users.items), form([
      { legend: 'Add an account', layout: 'row', fields: [
        { name: 'name', label: 'Account name' },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', help: 'At least 12 characters.' },
        { name: 'role', label: 'Role', type: 'select', options: [['viewer', 'viewer (sees everything, changes nothing)'], ['admin', 'admin']] },
      ] },
    ], 'Add account', async v => { await api('POST', '/users', v); rerender(); }, { label: 'Add an account' })) : null,
    admin ? section('API tokens',
      tokens.items.length === 0 ? empty('No API tokens yet. A token lets a script use the API without a password; create one below.') : table([
        ['Name', t => show(t.name)], ['Role', t => show(t.role)], ['Made by', t => show(t.createdBy)],
        ['Last used', t => (t.lastUsedAt ? when(t.lastUsedAt) : 'never')], ['Expires', t => (t.expiresAt ? when(t.expiresAt) : 'never')],
        ['Actions', t => button('Revoke', async () => {
          if (!confirm('Revoke the token ' + t.name + '? Scripts using it stop working.')) return;
          await api('DELETE', '/tokens/' + enc(t.id));
          rerender();
        }, { class: 'small danger', 'aria-label': 'Revoke token ' + t.name })],
      ], tokens.items),
      form([
        { legend: 'Create a token', layout: 'row', fields: [
          { name: 'name', label: 'Token name', placeholder: 'ci' },
          { name: 'role', label: 'Token role', type: 'select', options: ['viewer', 'admin'] },
        ] },
      ], 'Create token', async v => {
        const t = await api('POST', '/tokens', { name: v.name, role: v.role });
        await rerender(); // the list, with the new token in it
        document.getElementById('main').append(h('div', { class: 'card callout', role: 'status' }, h('p', {}, 'The token ', h('b', {}, t.name),
          ' — copy it now, it is not shown again:'), h('pre', { id: 'new-token' }, t.token)));
        document.getElementById('new-token').scrollIntoView({ block: 'center' });
      }, { label: 'Create a token' })) : null);
}
