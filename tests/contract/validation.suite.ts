import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/gateway/app.ts';
import { client } from '../helpers/http.ts';
import { expectErrorShape, type World } from './world.ts';

let world: World;

type Method = 'POST' | 'PATCH';

/** Every JSON body route of `/api`, with the resources of alice. */
const jsonRoutes = (w: World): Array<[Method, string]> => [
  ['POST', '/api/auth/register'],
  ['POST', '/api/auth/login'],
  ['POST', '/api/api-keys'],
  ['POST', '/api/kbs'],
  ['PATCH', `/api/kbs/${w.alice.kbId}`],
  ['POST', '/api/search'],
  ['POST', '/api/chat/sessions'],
  ['PATCH', `/api/chat/sessions/${w.alice.sessionId}`],
  ['POST', `/api/chat/sessions/${w.alice.sessionId}/messages`],
  ['POST', `/api/kbs/${w.alice.kbId}/notes`],
  ['PATCH', `/api/notes/${w.alice.noteId}`],
];

/** Sends `body` as-is with a JSON content type. */
async function rawBody(w: World, method: Method, path: string, body: string, token?: string) {
  const res = await createApp(w.deps).request(`http://localhost${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers, json: JSON.parse(text) };
}

/** 400s of the contract: invalid_json, unknown and missing fields, search bounds. */
export function validationSuite(get: () => World): void {
  describe('request validation', () => {
    beforeAll(() => {
      world = get();
    });
    it('answers malformed JSON with 400 invalid_json on every JSON route', async () => {
      const failures: string[] = [];
      for (const [method, path] of jsonRoutes(world)) {
        for (const body of ['{"title": ', 'not json', '{"a":1}}']) {
          const res = await rawBody(world, method, path, body, world.alice.token);
          if (res.status !== 400 || res.json.error?.code !== 'invalid_json') {
            failures.push(`${method} ${path} ${JSON.stringify(body)} -> ${res.status} ${res.json.error?.code}`);
          } else expectErrorShape(res);
        }
      }
      expect(failures).toEqual([]);
    });

    it('refuses an empty body and a JSON body that is not an object with 400', async () => {
      for (const [method, path] of jsonRoutes(world)) {
        const empty = await world.api.call(method, path, {
          token: world.alice.token,
          headers: { 'content-type': 'application/json' },
        });
        expect(empty.status, `${method} ${path} empty`).toBe(400);
        for (const body of ['[]', '"text"', 'null', '42']) {
          const res = await rawBody(world, method, path, body, world.alice.token);
          expect(res.status, `${method} ${path} ${body}`).toBe(400);
          expectErrorShape(res);
        }
      }
    });

    it('refuses unknown fields where they could change ownership or roles', async () => {
      const { api, alice, bob } = world;
      const as = { token: alice.token };
      const cases: Array<[Method, string, Record<string, unknown>]> = [
        ['POST', '/api/auth/register', { email: 'x@contract.example', password: 'long enough', role: 'admin' }],
        ['POST', '/api/kbs', { title: 'x', userId: bob.userId }],
        ['PATCH', `/api/kbs/${alice.kbId}`, { userId: bob.userId }],
        ['POST', '/api/api-keys', { name: 'x', userId: bob.userId }],
        ['POST', `/api/kbs/${alice.kbId}/notes`, { title: 'x', kbId: bob.kbId }],
        ['PATCH', `/api/notes/${alice.noteId}`, { shareToken: 'chosen-by-me' }],
        ['POST', '/api/chat/sessions', { kbId: alice.kbId, userId: bob.userId }],
      ];
      for (const [method, path, body] of cases) {
        const res = await api.call(method, path, { ...as, body });
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(res.json.error.code).toBe('validation_failed');
        expect(res.json.error.message).toMatch(/unrecognized|unknown/i);
      }
      expect((await api.call('GET', '/api/kbs', { token: bob.token })).json.items).toHaveLength(1);
    });

    it('names the missing field with a code', async () => {
      const { api, alice } = world;
      const as = { token: alice.token };
      const cases: Array<[Method, string, Record<string, unknown>, RegExp]> = [
        ['POST', '/api/auth/register', { password: 'long enough' }, /email/],
        ['POST', '/api/auth/login', { email: 'a@b.example' }, /password/],
        ['POST', '/api/api-keys', {}, /name/],
        ['POST', '/api/kbs', {}, /title/],
        ['POST', '/api/kbs', { title: '   ' }, /title/],
        ['POST', '/api/chat/sessions', {}, /kbId/],
        ['POST', `/api/chat/sessions/${alice.sessionId}/messages`, {}, /content/],
        ['POST', `/api/chat/sessions/${alice.sessionId}/messages`, { content: ' ' }, /content/],
        ['POST', `/api/kbs/${alice.kbId}/notes`, { content: 'no title' }, /title/],
        ['PATCH', `/api/notes/${alice.noteId}`, {}, /nothing to update/],
        ['PATCH', `/api/kbs/${alice.kbId}`, {}, /nothing to update/],
        ['POST', '/api/search', { query: 'x' }, /kbId/],
        ['POST', '/api/search', { kbId: alice.kbId }, /query/],
      ];
      for (const [method, path, body, message] of cases) {
        const res = await api.call(method, path, { ...as, body });
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
        expectErrorShape(res);
        expect(res.json.error.code).toBe('validation_failed');
        expect(res.json.error.message).toMatch(message);
      }
    });

    it.each([
      ['an empty query', { query: '' }],
      ['a blank query', { query: '   ' }],
      ['an unknown mode', { mode: 'telepathy' }],
      ['topK 0', { topK: 0 }],
      ['topK 1000', { topK: 1000 }],
      ['a negative topK', { topK: -1 }],
      ['a fractional topK', { topK: 2.5 }],
      ['topK as a string', { topK: '5' }],
      ['hybrid as a string', { hybrid: 'yes' }],
      ['a query of 10 000 characters', { query: 'a'.repeat(10_000) }],
    ])('refuses a search with %s with 400', async (_label, patch) => {
      const { api, alice } = world;
      const res = await api.call('POST', '/api/search', {
        token: alice.token,
        body: { kbId: alice.kbId, query: 'procedure', ...patch },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.code).toBe('validation_failed');
    });

    it('answers a search on a KB id that does not exist with 404', async () => {
      const res = await world.api.call('POST', '/api/search', {
        token: world.alice.token,
        body: { kbId: 'no-such-kb', query: 'procedure' },
      });
      expect(res.status).toBe(404);
      expectErrorShape(res);
    });

    it('refuses a JSON body of several megabytes with 413 before parsing it, yet takes the longest note', async () => {
      const { alice, deps } = world;
      // The default upload limit (50 MB) must not become the limit of JSON bodies.
      const api = client(createApp({ ...deps, config: { ...deps.config, MAX_UPLOAD_MB: 50 } }));
      const as = { token: alice.token };
      for (const [method, path, body] of [
        ['POST', '/api/kbs', { title: 'big', description: 'y'.repeat(3 * 1024 * 1024) }],
        ['POST', '/api/search', { kbId: alice.kbId, query: 'q'.repeat(3 * 1024 * 1024) }],
        ['POST', '/api/auth/login', { email: 'a@b.example', password: 'p'.repeat(3 * 1024 * 1024) }],
      ] as const) {
        const res = await api.call(method, path, { ...as, body });
        expect(res.status, path).toBe(413);
        expect(res.json.error.code).toBe('payload_too_large');
      }
      const longest = await api.call('POST', `/api/kbs/${alice.kbId}/notes`, {
        ...as,
        body: { title: 'Longest', content: '长'.repeat(200_000) },
      });
      expect(longest.status, longest.text.slice(0, 200)).toBe(201);
      expect((await api.call('DELETE', `/api/notes/${longest.json.note.id}`, as)).status).toBe(204);
    });

    it('refuses an upload without a multipart file field with 400', async () => {
      const { api, alice } = world;
      const path = `/api/kbs/${alice.kbId}/documents`;
      const json = await api.call('POST', path, { token: alice.token, body: { file: 'inline' } });
      expect(json.status).toBe(400);
      expectErrorShape(json);
      const form = new FormData();
      form.append('other', 'x');
      const wrongField = await api.call('POST', path, { token: alice.token, body: form });
      expect(wrongField.status).toBe(400);
      expect(wrongField.json.error.message).toMatch(/file/);
    });
  });
}
