import { beforeAll, describe, expect, it } from 'vitest';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';
import type { World } from './world.ts';

let world: World;
let secondKb: string;
let secondDoc: string;

const MODES = ['drill-down', 'drill-down-relaxed', 'flat'] as const;
const QUERY = 'zanzibar crate procedure storage';

interface Hit {
  document: { id: string };
  parent: { id: string };
  children: Array<{ id: string }>;
}

/** The KB of every chunk id a search answered with. */
function kbsOf(hits: Hit[]): Set<string> {
  const ids = hits.flatMap((h) => [h.parent.id, ...h.children.map((c) => c.id)]);
  const stmt = world.deps.db.sqlite.prepare('SELECT kb_id AS kb FROM chunks WHERE id = ?');
  return new Set(ids.map((id) => (stmt.get(id) as { kb: string } | undefined)?.kb ?? `missing:${id}`));
}

/** Search never crosses KBs or users. */
export function searchIsolationSuite(get: () => World): void {
  describe('search isolation', () => {
    beforeAll(async () => {
      world = get();
      const { api, alice } = world;
      secondKb = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Second' } })).json.kb.id;
      const text =
        '# Zanzibar crates, second shelf\n\nThe zanzibar crate procedure in storage room two needs a ladder.\n';
      const up = await api.call('POST', `/api/kbs/${secondKb}/documents`, {
        token: alice.token,
        body: fileForm('second-shelf.md', text),
      });
      secondDoc = up.json.document.id;
      expect((await waitForDocument(api, alice.token, secondDoc)).status).toBe('completed');
    });
    it('never returns chunks of another KB of the same user, in any mode', async () => {
      const { api, alice } = world;
      for (const kbId of [alice.kbId, secondKb]) {
        for (const mode of MODES) {
          for (const hybrid of [false, true]) {
            const res = await api.call('POST', '/api/search', {
              token: alice.token,
              body: { kbId, query: QUERY, mode, hybrid, topK: 10 },
            });
            expect(res.status, res.text).toBe(200);
            expect(res.json.hits.length, `${kbId} ${mode} ${hybrid}`).toBeGreaterThan(0);
            const docs = new Set(res.json.hits.map((h: Hit) => h.document.id));
            expect([...docs]).toEqual([kbId === secondKb ? secondDoc : alice.documentId]);
            expect([...kbsOf(res.json.hits)]).toEqual([kbId]);
          }
        }
      }
    });

    it("answers 404 to a search of another user's KB, even right after its owner's results were cached", async () => {
      const { api, alice, bob } = world;
      for (const mode of MODES) {
        const body = { kbId: alice.kbId, query: QUERY, mode };
        expect((await api.call('POST', '/api/search', { token: alice.token, body })).status).toBe(200);
        for (const token of [bob.token, bob.apiKey]) {
          const res = await api.call('POST', '/api/search', { token, body });
          expect(res.status).toBe(404);
          expect(res.text).not.toMatch(/zanzibar|crate|procedure starts/i);
        }
      }
    });

    it('gives each user only their own documents for the same query, cached or not', async () => {
      const { api, alice, bob } = world;
      for (let i = 0; i < 2; i++) {
        const res = await api.call('POST', '/api/search', {
          token: bob.token,
          body: { kbId: bob.kbId, query: QUERY, mode: 'flat', hybrid: true },
        });
        expect(res.status).toBe(200);
        expect(res.json.hits.length).toBeGreaterThan(0);
        for (const hit of res.json.hits as Hit[]) expect(hit.document.id).toBe(bob.documentId);
        expect(JSON.stringify(res.json.hits)).not.toContain('zanzibar');
        expect([...kbsOf(res.json.hits)].every((kb) => kb === bob.kbId)).toBe(true);
      }
      const own = await api.call('GET', `/api/documents/${alice.documentId}`, { token: alice.token });
      expect(own.status).toBe(200);
    });

    it('cites only the chat session KB, in the session API and through /v1', async () => {
      const { api, alice } = world;
      const session = await api.call('POST', '/api/chat/sessions', { token: alice.token, body: { kbId: secondKb } });
      const asked = await api.call('POST', `/api/chat/sessions/${session.json.session.id}/messages`, {
        token: alice.token,
        body: { content: 'Where is the zanzibar crate procedure done?' },
      });
      expect(asked.status, asked.text).toBe(200);
      expect(asked.json.citations.length).toBeGreaterThan(0);
      for (const c of asked.json.citations) expect(c.documentId).toBe(secondDoc);

      const v1 = await api.call('POST', '/v1/chat/completions', {
        token: alice.apiKey,
        body: { model: `kb:${alice.kbId}`, messages: [{ role: 'user', content: 'zanzibar crate procedure?' }] },
      });
      expect(v1.status, v1.text).toBe(200);
      expect(v1.json.citations.length).toBeGreaterThan(0);
      for (const c of v1.json.citations) expect(c.documentId).toBe(alice.documentId);
      expect(v1.text).not.toContain('ladder');
    });

    it('stops finding a KB the moment it is deleted', async () => {
      const { api, alice } = world;
      const body = { kbId: secondKb, query: QUERY };
      expect((await api.call('POST', '/api/search', { token: alice.token, body })).status).toBe(200);
      expect((await api.call('DELETE', `/api/kbs/${secondKb}`, { token: alice.token })).status).toBe(204);
      expect((await api.call('POST', '/api/search', { token: alice.token, body })).status).toBe(404);
      const res = await api.call('POST', '/api/search', {
        token: alice.token,
        body: { kbId: alice.kbId, query: 'ladder storage room two', mode: 'flat', hybrid: true },
      });
      expect(JSON.stringify(res.json.hits)).not.toContain('ladder');
      expect(await world.deps.vectors.count({ userId: alice.userId, kbId: secondKb })).toBe(0);
    });
  });
}
