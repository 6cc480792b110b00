import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from './world.ts';

let world: World;

/** Queries full of FTS5 syntax, SQL, control and odd Unicode: each is just text to search for. */
const HOSTILE_QUERIES = [
  '"',
  '"unbalanced quote',
  'procedure"',
  '*',
  'proc*',
  '^procedure',
  'NEAR(procedure dawn)',
  'procedure AND OR NOT',
  'NOT',
  'content:procedure',
  'chunk_id:*',
  'kb_id:anything',
  '(procedure',
  'procedure)',
  '{procedure}',
  '-procedure',
  '+procedure',
  "procedure'; DROP TABLE chunks; --",
  '\u0000procedure',
  'procedure\u0000',
  '\u200b\u200b',
  '🔥🔥🔥',
  '程序 "开始',
  'a'.repeat(2000),
  '. , ; : ! ?',
];

/** Hostile search text is only text. */
export function searchInputSuite(get: () => World): void {
  describe('search input', () => {
    beforeAll(() => {
      world = get();
    });
    it.each(HOSTILE_QUERIES.map((q) => [JSON.stringify(q.slice(0, 40)), q]))(
      'treats %s as text in every mode, with and without full text',
      async (_label, query) => {
        const { api, alice } = world;
        for (const mode of ['drill-down', 'drill-down-relaxed', 'flat'] as const) {
          for (const hybrid of [false, true]) {
            const res = await api.call('POST', '/api/search', {
              token: alice.token,
              body: { kbId: alice.kbId, query, mode, hybrid },
            });
            expect([200, 400], `${mode} hybrid=${hybrid}: ${res.text.slice(0, 200)}`).toContain(res.status);
            if (res.status === 200) {
              expect(res.json.hits).toEqual(expect.any(Array));
              for (const hit of res.json.hits) expect(hit.document.id).toBe(alice.documentId);
            } else expect(res.json.error.code).toBe('validation_failed');
          }
        }
      },
    );

    it('still finds the words around FTS syntax', async () => {
      const res = await world.api.call('POST', '/api/search', {
        token: world.alice.token,
        body: { kbId: world.alice.kbId, query: '"zanzibar" AND (procedure* OR NEAR', mode: 'flat', hybrid: true },
      });
      expect(res.status).toBe(200);
      expect(res.json.hits.length).toBeGreaterThan(0);
    });

    it('answers chat and /v1 questions full of FTS syntax', async () => {
      const { api, alice } = world;
      const asked = await api.call('POST', `/api/chat/sessions/${alice.sessionId}/messages`, {
        token: alice.token,
        body: { content: '"zanzibar* NEAR( procedure ^ OR' },
      });
      expect(asked.status, asked.text).toBe(200);
      const v1 = await api.call('POST', '/v1/chat/completions', {
        token: alice.apiKey,
        body: { model: `kb:${alice.kbId}`, messages: [{ role: 'user', content: 'content:* "(' }] },
      });
      expect(v1.status, v1.text).toBe(200);
    });
  });
}
