import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngestWorker } from '../../services/core/ingest/worker.ts';
import { startIngestWorker } from '../../services/core/ingest/worker.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';

let deps: TestDeps;
let worker: RunningIngestWorker;
let api: ReturnType<typeof client>;
let owner: { token: string; userId: string };
let kbId: string;
let otherKbId: string;
let key: string;

const DOCS = [
  {
    name: 'ai-guide.md',
    text: '# AI guide\n\n## Models\n\nLarge language models answer questions from retrieved passages.\n\nRetrieval augmented generation grounds the answer in documents.',
    metadata: { category: 'AI', year: 2025 },
  },
  {
    name: 'ai-history.md',
    text: '# History\n\n## Early models\n\nEarly language models counted words; retrieval came later.',
    metadata: { category: 'History', year: 1990 },
  },
];

/** Dify's own example request (External Knowledge API documentation), aimed at our KB. */
const difyRequest = (knowledgeId: string, extra: Record<string, unknown> = {}) => ({
  knowledge_id: knowledgeId,
  query: 'retrieval augmented generation',
  retrieval_setting: { top_k: 2, score_threshold: 0.5 },
  ...extra,
});

const retrieve = (body: unknown, authorization?: string) =>
  api.call('POST', '/api/dify/retrieval', { body, headers: authorization ? { authorization } : {} });

beforeAll(async () => {
  deps = await createTestDeps();
  worker = await startIngestWorker(deps);
  api = client(createApp(deps));
  owner = await api.register('dify-owner@example.com');
  kbId = (await api.call('POST', '/api/kbs', { token: owner.token, body: { title: 'AI' } })).json.kb.id;
  otherKbId = (await api.call('POST', '/api/kbs', { token: owner.token, body: { title: 'Other' } })).json.kb.id;
  for (const doc of DOCS) {
    const form = fileForm(doc.name, doc.text);
    form.append('metadata', JSON.stringify(doc.metadata));
    const r = await api.call('POST', `/api/kbs/${kbId}/documents`, { token: owner.token, body: form });
    await waitForDocument(api, owner.token, r.json.document.id);
  }
  const created = await api.call('POST', '/api/api-keys', {
    token: owner.token,
    body: { name: 'dify', kbIds: [kbId], readOnly: true },
  });
  key = created.json.key;
});
afterAll(async () => {
  worker.stop();
  await deps.cleanup();
});

describe("Dify's External Knowledge API", () => {
  it("answers Dify's example request with records of content, score, title and metadata", async () => {
    const r = await retrieve(difyRequest(kbId), `Bearer ${key}`);
    expect(r.status, r.text).toBe(200);
    expect(Object.keys(r.json)).toEqual(['records']);
    expect(r.json.records.length).toBeGreaterThan(0);
    expect(r.json.records.length).toBeLessThanOrEqual(2);
    for (const record of r.json.records) {
      expect(Object.keys(record).sort()).toEqual(['content', 'metadata', 'score', 'title']);
      expect(record.score).toBeGreaterThanOrEqual(0.5);
      expect(record.score).toBeLessThanOrEqual(1);
      expect(typeof record.metadata).toBe('object');
      expect(record.metadata).toMatchObject({ document_id: expect.any(String), chunk_id: expect.any(String) });
    }
    const scores = r.json.records.map((x: { score: number }) => x.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(r.json.records[0]).toMatchObject({ title: 'ai-guide.md', metadata: { category: 'AI', year: 2025 } });
    expect(r.json.records[0].content).toMatch(/augmented generation/i);
  });

  it('honours a metadata condition as Dify sends it: names as an array, and as a string', async () => {
    for (const name of [['category'], 'category']) {
      const condition = {
        logical_operator: 'and',
        conditions: [{ name, comparison_operator: 'is', value: 'History' }],
      };
      const r = await retrieve(
        difyRequest(kbId, { retrieval_setting: { top_k: 5, score_threshold: 0 }, metadata_condition: condition }),
        `Bearer ${key}`,
      );
      expect(r.status, r.text).toBe(200);
      expect(r.json.records.length).toBeGreaterThan(0);
      expect(r.json.records.every((x: { title: string }) => x.title === 'ai-history.md')).toBe(true);
    }
    const before = { conditions: [{ name: 'year', comparison_operator: '<', value: 2000 }] };
    const older = await retrieve(difyRequest(kbId, { metadata_condition: before }), `Bearer ${key}`);
    expect(older.json.records.map((x: { title: string }) => x.title)).toEqual(['ai-history.md']);
    const none = { conditions: [{ name: 'category', comparison_operator: 'contains', value: 'cooking' }] };
    const empty = await retrieve(difyRequest(kbId, { metadata_condition: none }), `Bearer ${key}`);
    expect(empty.json).toEqual({ records: [] });
  });

  it('keeps a score_threshold of 1 to the best record only, and a top_k of 1 to one', async () => {
    const strict = await retrieve(
      difyRequest(kbId, { retrieval_setting: { top_k: 5, score_threshold: 1 } }),
      `Bearer ${key}`,
    );
    expect(strict.json.records.every((x: { score: number }) => x.score === 1)).toBe(true);
    const one = await retrieve(
      difyRequest(kbId, { retrieval_setting: { top_k: 1, score_threshold: 0 } }),
      `Bearer ${key}`,
    );
    expect(one.json.records).toHaveLength(1);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a Basic header', 'Basic dXNlcjpwYXNz'],
    ['Bearer without a key', 'Bearer '],
    ['a key without Bearer', 'cos_abc'],
  ])('answers 1001 to %s', async (_, header) => {
    const r = await retrieve(difyRequest(kbId), header);
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ error_code: 1001, error_msg: expect.stringMatching(/Bearer/) });
  });

  it('answers 1002 to a key that does not authorize, a revoked one included', async () => {
    const extra = await api.call('POST', '/api/api-keys', { token: owner.token, body: { name: 'gone' } });
    await api.call('DELETE', `/api/api-keys/${extra.json.apiKey.id}`, { token: owner.token });
    for (const bad of ['cos_not-a-real-key', extra.json.key, 'not-even-a-key']) {
      const r = await retrieve(difyRequest(kbId), `Bearer ${bad}`);
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ error_code: 1002, error_msg: expect.any(String) });
    }
  });

  it("answers 2001 for a KB that does not exist, another user's, or one outside the key's scope", async () => {
    const stranger = await api.register('dify-stranger@example.com');
    const strangerKb = (await api.call('POST', '/api/kbs', { token: stranger.token, body: { title: 'Mine' } })).json.kb
      .id;
    for (const id of ['no-such-kb', strangerKb, otherKbId]) {
      const r = await retrieve(difyRequest(id), `Bearer ${key}`);
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error_code: 2001, error_msg: expect.any(String) });
    }
  });

  it("answers a malformed body in Dify's error shape with a 400, and stays up", async () => {
    for (const body of [{ query: 'x' }, difyRequest(kbId, { retrieval_setting: { top_k: 0, score_threshold: 0 } })]) {
      const r = await retrieve(body, `Bearer ${key}`);
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error_code: 400, error_msg: expect.any(String) });
    }
    const badCondition = { conditions: [{ name: 'year', comparison_operator: 'after', value: 'whenever' }] };
    const r = await retrieve(difyRequest(kbId, { metadata_condition: badCondition }), `Bearer ${key}`);
    expect(r.json.error_msg).toMatch(/needs a date/);
    expect((await retrieve(difyRequest(kbId), `Bearer ${key}`)).status).toBe(200);
  });
});
