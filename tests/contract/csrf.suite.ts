import { beforeAll, describe, expect, it } from 'vitest';
import { createRootApp } from '../../services/root.ts';
import { client } from '../helpers/http.ts';
import { fileForm } from '../ingest/helpers.ts';
import { consolePosts } from './routes.ts';
import { type Client, signIn, type World } from './world.ts';

let world: World;
let root: Client;
let cookie: string;

/** Headers of a browser request from another site, in the forms browsers actually send. */
const FOREIGN: Array<[string, Record<string, string>]> = [
  ['Origin of another site', { origin: 'https://evil.example' }],
  ['Origin that only starts like ours', { origin: 'http://localhost.evil.example' }],
  ['Origin null (sandboxed frame)', { origin: 'null' }],
  ['Referer of another site, no Origin', { referer: 'https://evil.example/page?http://localhost/' }],
  ['Sec-Fetch-Site cross-site only', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site same-site only', { 'sec-fetch-site': 'same-site' }],
];

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

/** Cross-origin requests with the session cookie are refused on the API and the console. */
export function csrfSuite(get: () => World): void {
  describe('cross-origin requests carrying the session cookie', () => {
    beforeAll(async () => {
      world = get();
      root = client(createRootApp(world.deps));
      cookie = await signIn(root, world.alice.email);
      expect(cookie).toMatch(/^cos_session=./);
    });
    it('are refused with 403 on every API resource and change nothing', async () => {
      const { alice } = world;
      const routes: Array<[string, string, unknown]> = [
        ['POST', '/api/kbs', { title: 'csrf kb' }],
        ['PATCH', `/api/kbs/${alice.kbId}`, { title: 'csrf renamed' }],
        ['DELETE', `/api/kbs/${alice.kbId}`, undefined],
        ['POST', `/api/kbs/${alice.kbId}/documents`, fileForm('csrf.txt', 'planted text')],
        ['POST', `/api/documents/${alice.documentId}/reprocess`, undefined],
        ['DELETE', `/api/documents/${alice.documentId}`, undefined],
        ['POST', '/api/search', { kbId: alice.kbId, query: 'procedure' }],
        ['POST', '/api/chat/sessions', { kbId: alice.kbId }],
        ['POST', `/api/chat/sessions/${alice.sessionId}/messages`, { content: 'planted question' }],
        ['DELETE', `/api/chat/sessions/${alice.sessionId}`, undefined],
        ['POST', `/api/kbs/${alice.kbId}/notes`, { title: 'planted note' }],
        ['PATCH', `/api/notes/${alice.noteId}`, { content: 'planted' }],
        ['POST', `/api/notes/${alice.noteId}/share`, undefined],
        ['DELETE', `/api/notes/${alice.noteId}`, undefined],
        ['POST', '/api/api-keys', { name: 'planted key' }],
        ['DELETE', `/api/api-keys/${alice.apiKeyId}`, undefined],
      ];
      const failures: string[] = [];
      for (const [label, headers] of FOREIGN) {
        for (const [method, path, body] of routes) {
          const res = await root.call(method, path, { body, headers: { cookie, ...headers } });
          if (res.status !== 403 || res.json?.error?.code !== 'csrf_rejected') {
            failures.push(`${label}: ${method} ${path} -> ${res.status}`);
          }
        }
      }
      expect(failures).toEqual([]);
      const as = { token: alice.token };
      expect((await root.call('GET', '/api/kbs', as)).json.items).toHaveLength(1);
      expect((await root.call('GET', `/api/kbs/${alice.kbId}/documents`, as)).json.items).toHaveLength(1);
      expect((await root.call('GET', `/api/kbs/${alice.kbId}/notes`, as)).json.items).toHaveLength(1);
      expect((await root.call('GET', `/api/notes/${alice.noteId}`, as)).json.note.shared).toBe(false);
      expect((await root.call('GET', '/api/api-keys', as)).json.items).toHaveLength(1);
      expect((await root.call('GET', `/api/chat/sessions/${alice.sessionId}/messages`, as)).json.items).toEqual([]);
    });

    it('refuse a login or sign-up forged from another site, which would sign the victim in to the forger', async () => {
      const { alice } = world;
      const credentials = { email: alice.email, password: 'correct horse battery' };
      const failures: string[] = [];
      for (const [label, headers] of FOREIGN) {
        const attempts = [
          await root.call('POST', '/login', { body: form(credentials), headers }),
          await root.call('POST', '/signup', {
            body: form({ email: 'forged@contract.example', password: 'forged password' }),
            headers,
          }),
          await root.call('POST', '/api/auth/login', { body: credentials, headers }),
          await root.call('POST', '/api/auth/register', {
            body: { email: 'forged2@contract.example', password: 'forged password' },
            headers,
          }),
        ];
        for (const [i, res] of attempts.entries()) {
          if (res.status !== 403 || res.headers.get('set-cookie')?.includes('cos_session=ey')) {
            failures.push(`${label}: attempt ${i} -> ${res.status}`);
          }
        }
      }
      expect(failures).toEqual([]);
      const ownPage = await root.call('POST', '/login', {
        body: form(credentials),
        headers: { origin: 'http://localhost' },
      });
      expect(ownPage.status).toBe(303);
      expect(ownPage.headers.get('set-cookie')).toMatch(/cos_session=ey/);
      const script = await root.call('POST', '/api/auth/login', { body: credentials });
      expect(script.status).toBe(200);
    });

    it('pass from our own origin, and Bearer calls pass from anywhere', async () => {
      const same = await root.call('POST', `/api/kbs/${world.alice.kbId}/notes`, {
        body: { title: 'same origin' },
        headers: { cookie, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
      });
      expect(same.status, same.text).toBe(201);
      const bearer = await root.call('POST', '/api/search', {
        token: world.alice.apiKey,
        body: { kbId: world.alice.kbId, query: 'procedure' },
        headers: { origin: 'https://elsewhere.example' },
      });
      expect(bearer.status).toBe(200);
      await root.call('DELETE', `/api/notes/${same.json.note.id}`, { token: world.alice.token });
    });

    it('are refused with 403 on every console form post and change nothing', async () => {
      const { alice, bob } = world;
      const failures: string[] = [];
      for (const [label, headers] of FOREIGN) {
        for (const { path, fields, upload } of consolePosts(alice, bob)) {
          const body = upload ? fileForm('csrf.txt', 'planted text') : form(fields);
          const res = await root.call('POST', path, { body, headers: { cookie, ...headers } });
          if (res.status !== 403) failures.push(`${label}: POST ${path} -> ${res.status}`);
        }
      }
      expect(failures).toEqual([]);
      const as = { token: alice.token };
      expect((await root.call('GET', `/api/kbs/${alice.kbId}`, as)).json.kb.title).toBe(alice.kbTitle);
      expect((await root.call('GET', '/api/auth/me', { token: bob.token })).json.user.role).toBe('user');
      expect((await root.call('GET', `/api/notes/${alice.noteId}`, as)).json.note).toMatchObject({
        shared: false,
        content: 'zanzibar private content',
      });
      expect((await root.call('GET', '/api/api-keys', as)).json.items).toHaveLength(1);
      const ownPage = await root.call('GET', '/kbs', { headers: { cookie } });
      expect(ownPage.status).toBe(200);
    });
  });
}
