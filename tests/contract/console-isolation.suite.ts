import { beforeAll, describe, expect, it } from 'vitest';
import { createRootApp } from '../../services/root.ts';
import { client } from '../helpers/http.ts';
import { consoleRoutes, formOf } from './routes.ts';
import type { Client, World } from './world.ts';

let world: World;
let root: Client;
let bobCookie: string;

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

/** The console answers 404 for another user's data and 403 to non-admins. */
export function consoleIsolationSuite(get: () => World): void {
  describe("the console and another user's resources", () => {
    beforeAll(async () => {
      world = get();
      root = client(createRootApp(world.deps));
      const login = await root.call('POST', '/api/auth/login', {
        body: { email: world.bob.email, password: 'correct horse battery' },
      });
      bobCookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    });
    it('answers 404 on every page, fragment and form post, and leaks nothing', async () => {
      const { alice } = world;
      const { kbId, sessionId: s, noteId: n } = alice;
      const failures: string[] = [];
      for (const htmx of [false, true]) {
        for (const call of consoleRoutes(alice)) {
          const { method, path } = call;
          const headers: Record<string, string> = { cookie: bobCookie, origin: 'http://localhost' };
          if (htmx) headers['hx-request'] = 'true';
          const res = await root.call(method, path, { body: formOf(call), headers });
          if (res.status !== 404) failures.push(`${htmx ? 'htmx ' : ''}${method} ${path} -> ${res.status}`);
          for (const secret of [...alice.secrets, alice.email]) {
            if (res.text.includes(secret)) failures.push(`${method} ${path} leaked "${secret}"`);
          }
        }
      }
      expect(failures).toEqual([]);
      const as = { token: alice.token };
      expect((await root.call('GET', `/api/kbs/${kbId}`, as)).json.kb.title).toBe(alice.kbTitle);
      expect((await root.call('GET', `/api/notes/${n}`, as)).json.note).toMatchObject({ shared: false });
      expect((await root.call('GET', `/api/chat/sessions/${s}/messages`, as)).json.items).toEqual([]);
      expect((await root.call('GET', '/api/api-keys', as)).json.items).toHaveLength(1);
    });

    it('sends anonymous visitors of every private page and form post to log in, changing nothing', async () => {
      const { alice } = world;
      const { kbId, documentId: d, sessionId: s, noteId: n, apiKeyId: k } = alice;
      const headers = { origin: 'http://localhost' };
      const pages = ['/kbs', `/kbs/${kbId}`, `/kbs/${kbId}/search?q=zanzibar`, `/documents/${d}`, `/chat/${s}`];
      const posts = [
        `/kbs/${kbId}/delete`,
        `/notes/${n}/share`,
        `/account/api-keys/${k}/revoke`,
        `/documents/${d}/delete`,
      ];
      for (const path of [...pages, `/notes/${n}`, '/account/api-keys', '/admin/users']) {
        const res = await root.call('GET', path, { headers });
        expect([302, 303], path).toContain(res.status);
        expect(res.headers.get('location'), path).toMatch(/^\/login/);
        expect(res.text).not.toContain('zanzibar');
      }
      for (const path of posts) {
        const res = await root.call('POST', path, { body: form({}), headers });
        expect([302, 303, 401], path).toContain(res.status);
      }
      const as = { token: alice.token };
      expect((await root.call('GET', `/api/kbs/${kbId}`, as)).status).toBe(200);
      expect((await root.call('GET', `/api/documents/${d}`, as)).status).toBe(200);
      expect((await root.call('GET', `/api/notes/${n}`, as)).json.note.shared).toBe(false);
    });

    it('keeps a user who is not an admin out of every admin page and action with 403', async () => {
      const { alice } = world;
      const headers = { cookie: bobCookie, origin: 'http://localhost' };
      for (const path of [
        '/admin',
        '/admin/users',
        '/admin/invitations',
        '/admin/audit',
        '/admin/jobs',
        '/admin/health',
        '/admin/events',
        '/admin/backups',
      ]) {
        const res = await root.call('GET', path, { headers });
        expect(res.status, path).toBe(403);
        expect(res.text).not.toContain(alice.email);
      }
      for (const [path, fields] of [
        [`/admin/users/${alice.userId}`, { role: 'user' }],
        [`/admin/users/${alice.userId}/reset-link`, {}],
        ['/admin/invitations', { email: '', role: 'admin', expiresInDays: '7' }],
        ['/admin/invitations/00000000-0000-4000-8000-000000000000/revoke', {}],
        [`/admin/jobs/${alice.documentId}/retry`, {}],
        ['/admin/backups', {}],
      ] as const) {
        const res = await root.call('POST', path, { body: form(fields), headers });
        expect(res.status, path).toBe(403);
      }
      expect((await root.call('GET', '/api/auth/me', { token: alice.token })).json.user.role).toBe('admin');
    });
  });
}
