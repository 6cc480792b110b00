import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ownedRoutes } from './routes.ts';
import { expectErrorShape, type World } from './world.ts';

let world: World;

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${e.parentPath}/${e.name}`);

/** Another user's resources answer 404 on every route and leak nothing. */
export function isolationSuite(get: () => World): void {
  describe("another user's resources", () => {
    beforeAll(() => {
      world = get();
    });
    it('answer 404 on every route, leak nothing, and stay untouched', async () => {
      const { api, alice, bob, deps } = world;
      const filesBefore = filesUnder(deps.config.FILES_DIR).sort();
      const failures: string[] = [];
      for (const r of ownedRoutes(alice)) {
        const res = await api.call(r.method, r.path, { body: r.body, token: bob.token });
        if (res.status !== 404) failures.push(`${r.method} ${r.path} -> ${res.status} ${res.text.slice(0, 200)}`);
        else expectErrorShape(res);
        for (const secret of [...alice.secrets, alice.email, alice.userId]) {
          if (res.text.includes(secret)) failures.push(`${r.method} ${r.path} leaked "${secret}"`);
        }
      }
      expect(failures).toEqual([]);

      const as = { token: alice.token };
      expect((await api.call('GET', `/api/kbs/${alice.kbId}`, as)).json.kb.title).toBe(alice.kbTitle);
      const doc = await api.call('GET', `/api/documents/${alice.documentId}`, as);
      expect(doc.json.document).toMatchObject({ status: 'completed', attempts: 1 });
      expect((await api.call('GET', `/api/chat/sessions/${alice.sessionId}`, as)).json.session.title).toBe(
        'zanzibar chat',
      );
      expect((await api.call('GET', `/api/chat/sessions/${alice.sessionId}/messages`, as)).json.items).toEqual([]);
      const note = await api.call('GET', `/api/notes/${alice.noteId}`, as);
      expect(note.json.note).toMatchObject({ content: 'zanzibar private content', shared: false });
      expect((await api.call('GET', `/api/kbs/${alice.kbId}/notes`, as)).json.items).toHaveLength(1);
      expect((await api.call('GET', `/api/kbs/${alice.kbId}/documents`, as)).json.items).toHaveLength(1);
      expect((await api.call('GET', '/api/auth/me', { token: alice.apiKey })).status).toBe(200);
      expect(filesUnder(deps.config.FILES_DIR).sort()).toEqual(filesBefore);
    });

    it("lists only the caller's own items", async () => {
      const { api, alice, bob } = world;
      for (const path of ['/api/kbs', '/api/api-keys', '/api/chat/sessions']) {
        const res = await api.call('GET', path, { token: bob.token });
        expect(res.status, path).toBe(200);
        expect(res.json.items.length, path).toBeGreaterThan(0);
        for (const secret of [...alice.secrets, alice.userId]) expect(res.text, path).not.toContain(secret);
      }
      const models = await api.call('GET', '/v1/models', { token: bob.apiKey });
      expect(models.text).not.toContain(alice.kbId);
      expect(models.text).toContain(bob.kbId);
    });

    it("refuses to chat over another user's KB through /v1 with an OpenAI-style 404", async () => {
      const { api, alice, bob } = world;
      for (const stream of [false, true]) {
        const res = await api.call('POST', '/v1/chat/completions', {
          token: bob.apiKey,
          body: { model: `kb:${alice.kbId}`, stream, messages: [{ role: 'user', content: 'zanzibar procedure?' }] },
        });
        expect(res.status).toBe(404);
        expect(res.json.error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
        expect(res.text).not.toMatch(/zanzibar procedure starts|zanzibar crate/);
      }
    });

    it('ignores or refuses an owner id smuggled into a body', async () => {
      const { api, alice, bob } = world;
      const smuggled: Array<['POST', string, Record<string, unknown>]> = [
        ['POST', '/api/search', { kbId: alice.kbId, query: 'zanzibar procedure', userId: alice.userId }],
        ['POST', '/api/search', { kbId: alice.kbId, query: 'zanzibar procedure', user_id: alice.userId }],
        ['POST', '/api/chat/sessions', { kbId: alice.kbId, userId: alice.userId }],
        ['POST', `/api/kbs/${alice.kbId}/notes`, { title: 'x', userId: alice.userId }],
      ];
      for (const [method, path, body] of smuggled) {
        const res = await api.call(method, path, { token: bob.token, body });
        expect([400, 404], `${path} ${res.status}`).toContain(res.status);
        expect(res.text).not.toMatch(/zanzibar procedure starts|crate/);
      }
    });

    it("answers a streamed question in another user's session with a JSON 404, not a stream", async () => {
      const { api, alice, bob } = world;
      const res = await api.call('POST', `/api/chat/sessions/${alice.sessionId}/messages`, {
        token: bob.token,
        body: { content: 'What does the zanzibar handbook say?' },
        headers: { accept: 'text/event-stream' },
      });
      expect(res.status).toBe(404);
      expectErrorShape(res);
      expect(res.text).not.toMatch(/event:|zanzibar procedure|crate/);
      const stored = await api.call('GET', `/api/chat/sessions/${alice.sessionId}/messages`, { token: alice.token });
      expect(stored.json.items).toEqual([]);
    });

    it("never finds a user's ids by guessing them in another user's paths", async () => {
      const { api, alice, bob } = world;
      const res = await api.call('GET', `/api/documents/${alice.documentId}/chunks?layer=document`, {
        token: bob.token,
      });
      expect(res.status).toBe(404);
      const mine = await api.call('GET', `/api/documents/${bob.documentId}/chunks?layer=child`, { token: bob.token });
      expect(mine.status).toBe(200);
      expect(mine.text).not.toContain('zanzibar');
    });
  });
}
