import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp as createConsole } from '../../services/admin/app.tsx';
import type { ScoredChunk, SearchHit } from '../../services/core/search/types.ts';
import { overlapScore } from '../../services/mock-oneapi/rerank.ts';
import { startGateway } from '../chat/live.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';
import { draftFromMarkdown, writeDocument } from './load.ts';

const BEES = `# Bees

## Swarming

A crowded hive swarms in spring when the old queen leaves with half the workers.

Add a super before the flow to give the colony space and delay swarming.

A swarm hangs on a branch for a few hours while scouts look for a new home.

## Mites

Varroa mites feed on bees and spread viruses through the colony.

Treat for varroa mites with oxalic acid in winter, when the colony has no brood.

Count the mites on a sticky board under the mesh floor every month.`;

const TEA = `# Tea

## Green tea

Brew green tea with water at eighty degrees for two minutes.

A glass cup shows the leaves unfurling.`;

let mock: RunningMock;
let deps: TestDeps;
let gw: Awaited<ReturnType<typeof startGateway>>;
let user: { token: string; userId: string };
let kbId: string;

beforeAll(async () => {
  mock = await startMockOneApi({ dimension: 32 });
  deps = await createTestDeps({ ONEAPI_BASE_URL: mock.url, RERANK_MODEL: 'bge-reranker-v2-m3' });
  gw = await startGateway(deps);
  user = await gw.register('rerank@example.com');
  kbId = (await gw.call('POST', '/api/kbs', { token: user.token, body: { title: 'Hives' } })).json.kb.id;
  await writeDocument(deps, user.userId, kbId, draftFromMarkdown('bees.md', BEES));
  await writeDocument(deps, user.userId, kbId, draftFromMarkdown('tea.md', TEA));
});
afterAll(async () => {
  await gw.stop();
  await deps.cleanup();
  await mock.stop();
});
beforeEach(() => mock.control({ reset: true }));
afterEach(() => vi.useRealTimers());

const search = async (query: string, extra: Record<string, unknown> = {}) => {
  const r = await gw.call('POST', '/api/search', { token: user.token, body: { kbId, query, ...extra } });
  expect(r.status).toBe(200);
  return r.json.hits as SearchHit[];
};
const passages = (hits: SearchHit[]): ScoredChunk[] => hits.flatMap((h) => h.children);
const rerankWarnings = () =>
  deps.logLines
    .map((l) => JSON.parse(l))
    .filter((l) => l.level === 40 && (l.what === 'rerank' || /rerank/.test(l.msg)));
/** Moves the clock past the reranker's back-off after a failure (only Date is faked). */
const later = (ms: number) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
};

describe('search with RERANK_MODEL', () => {
  it('reranks more passages than asked for in one round trip and says so in the scores', async () => {
    const query = 'when do I treat varroa mites with oxalic acid';
    const hits = await search(query, { mode: 'flat', topK: 2 });
    const calls = mock.requests('/rerank');
    expect(calls).toHaveLength(1);
    const sent = calls[0]?.body as { model: string; query: string; documents: string[]; top_n: number };
    expect(sent).toMatchObject({ model: 'bge-reranker-v2-m3', query, top_n: 2 });
    // flat with topK 2 retrieves at least 10 candidates: every passage of this small KB.
    expect(sent.documents).toHaveLength(8);

    const got = passages(hits);
    expect(got).toHaveLength(2);
    expect(got[0]?.content).toBe('Treat for varroa mites with oxalic acid in winter, when the colony has no brood.');
    const best = [...sent.documents].sort((a, b) => overlapScore(query, b) - overlapScore(query, a)).slice(0, 2);
    expect(got.map((c) => c.content)).toEqual(best);
    for (const c of got) {
      expect(c).toMatchObject({ reranked: true, score: overlapScore(query, c.content) });
      expect(c.retrievalScore).toEqual(expect.any(Number));
    }
    expect(hits[0]?.document.fileName).toBe('bees.md');

    await search(query, { mode: 'flat', topK: 2 });
    expect(mock.requests('/rerank')).toHaveLength(1);
  });

  it('labels reranked scores in the console search', async () => {
    const page = await createConsole(deps).request(
      `http://console.test/kbs/${kbId}/search?q=oxalic+acid&mode=flat&topK=1`,
      {
        headers: { cookie: `cos_session=${user.token}` },
      },
    );
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Treat for varroa mites with oxalic acid');
    expect(html).toMatch(/rerank score \d\.\d{3}/);
  });

  it('reranks the drill-down passages too', async () => {
    const hits = await search('a swarm hangs on a branch', { topK: 2 });
    expect(passages(hits).map((c) => c.content)).toEqual([
      'A swarm hangs on a branch for a few hours while scouts look for a new home.',
      expect.any(String),
    ]);
    expect(passages(hits).every((c) => c.reranked)).toBe(true);
  });

  it('answers in retrieval order when rerank fails, and reranks again after the back-off', async () => {
    await mock.control({ failNext: 2, failStatus: 500, failPath: '/rerank' });
    const query = 'green tea water temperature';
    const hits = await search(query, { mode: 'flat', topK: 1 });
    expect(passages(hits)).toHaveLength(1);
    expect(passages(hits)[0]).not.toHaveProperty('reranked');
    expect(rerankWarnings().at(-1)?.msg).toMatch(/HTTP 500/);

    await search('another question while it backs off', { topK: 1 });
    expect(mock.requests('/rerank')).toHaveLength(2);

    later(31_000);
    const again = await search(query, { mode: 'flat', topK: 1 });
    expect(mock.requests('/rerank')).toHaveLength(3);
    expect(passages(again)[0]).toMatchObject({ reranked: true });
  });

  it('searches without rerank when the gateway lacks it, logging that once', async () => {
    later(60_000);
    const cached = await search('oxalic acid in winter', { topK: 1 });
    expect(passages(cached)[0]?.reranked).toBe(true);
    await mock.control({ rerank: false });
    const before = rerankWarnings().length;
    const asked = mock.requests('/rerank').length;
    for (const q of ['sticky board mites', 'eighty degrees', 'queen leaves the hive']) {
      const hits = await search(q, { topK: 2 });
      expect(passages(hits).length).toBeGreaterThan(0);
      expect(passages(hits).length).toBeLessThanOrEqual(2);
      expect(passages(hits).some((c) => c.reranked)).toBe(false);
    }
    expect(mock.requests('/rerank')).toHaveLength(asked + 1);
    expect(
      rerankWarnings()
        .slice(before)
        .map((l) => l.msg),
    ).toEqual(['ONEAPI cannot rerank with this model; searching without rerank']);
    // The reranked result cached before is not what a search without rerank answers.
    expect(passages(await search('oxalic acid in winter', { topK: 1 }))[0]).not.toHaveProperty('reranked');
  });
});
