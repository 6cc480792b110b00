import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { draftFromMarkdown, insertUser, writeDocument } from '../../../tests/search/load.ts';
import type { Embedder } from '../embedder/index.ts';
import { createLocalEmbedder, LOCAL_EMBEDDING_MODEL } from '../embedder/local.ts';
import { createKb } from '../kbs/index.ts';
import { createSqliteVectorStore } from '../vector-store/sqlite.ts';
import { indexReadiness, reindexStatus, search, startReindex } from './index.ts';

const DOCS = [
  ['bees.md', '# Bees\n\n## Mites\n\nVarroa mites spread viruses among bees.\n\nTreat with oxalic acid in winter.'],
  ['tea.md', '# 茶\n\n## 绿茶\n\n绿茶用八十度的水冲泡。\n\n玻璃杯适合冲泡绿茶。'],
  ['bread.md', '# Bread\n\n## Starter\n\nFeed the sourdough starter every day.\n\nBake at 250 degrees.'],
];

/** A second model: another name and dimension, whose embedding waits until `open()`. */
function gatedEmbedder(): Embedder & { open(): void; calls: number } {
  const inner = createLocalEmbedder({ dimension: 48 });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const embedder = {
    model: 'test-model-b',
    dimension: 48,
    calls: 0,
    open: () => release(),
    async embed(texts: string[]) {
      embedder.calls++;
      await gate;
      return inner.embed(texts);
    },
  };
  return embedder;
}

describe('changing the embedding model', () => {
  let first: TestDeps;
  let second: TestDeps | undefined;
  beforeEach(async () => {
    first = await createTestDeps();
  });
  afterEach(async () => {
    await second?.close();
    await first.cleanup();
  });

  it('re-embeds into a new table in the background while search keeps using the old one, then switches', async () => {
    const userId = insertUser(first);
    const kbId = createKb(first.db, { userId }, { title: 'kb' }).id;
    for (const [name, text] of DOCS) await writeDocument(first, userId, kbId, draftFromMarkdown(name, text));
    const oldHit = await search(first, { userId }, { kbId, query: 'varroa mites' });
    expect(oldHit.hits[0].document.fileName).toBe('bees.md');
    expect(reindexStatus(first)).toEqual([expect.objectContaining({ model: LOCAL_EMBEDDING_MODEL, state: 'active' })]);
    const chunkCount = (first.db.sqlite.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;

    second = await createTestDeps({ DATA_DIR: first.dataDir });
    const embedder = gatedEmbedder();
    second.embedder = embedder;
    second.vectors = createSqliteVectorStore(second.db.sqlite, {
      model: embedder.model,
      dimension: embedder.dimension,
    });
    const run = startReindex(second);
    await expect.poll(() => reindexStatus(first).find((s) => s.model === 'test-model-b')?.state).toBe('building');

    expect((await indexReadiness(second).check()).detail).toBe(
      `active ${LOCAL_EMBEDDING_MODEL}, building test-model-b 0%`,
    );
    const during = await search(second, { userId }, { kbId, query: '绿茶 水温 八十度' });
    expect(during.hits[0].document.fileName).toBe('tea.md');
    expect(await second.vectors.count()).toBe(0);
    expect(embedder.calls).toBe(1);

    embedder.open();
    expect(await run).toBe(true);
    const states = Object.fromEntries(reindexStatus(first).map((s) => [s.model, [s.state, s.progress]]));
    expect(states).toEqual({ 'test-model-b': ['active', 1], [LOCAL_EMBEDDING_MODEL]: ['retired', 1] });
    expect(await second.vectors.count()).toBe(chunkCount);
    expect(await first.vectors.count()).toBe(chunkCount);

    await first.vectors.deleteByKb(userId, kbId);
    const after = await search(second, { userId }, { kbId, query: 'sourdough starter' });
    expect(after.hits[0].document.fileName).toBe('bread.md');
  });

  it('rebuilds in place when the same model changes dimension, so no old vector answers a new query', async () => {
    const userId = insertUser(first);
    const kbId = createKb(first.db, { userId }, { title: 'kb' }).id;
    for (const [name, text] of DOCS) await writeDocument(first, userId, kbId, draftFromMarkdown(name, text));
    await search(first, { userId }, { kbId, query: 'varroa' });
    const chunkCount = (first.db.sqlite.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;

    second = await createTestDeps({ DATA_DIR: first.dataDir });
    second.embedder = createLocalEmbedder({ dimension: 64 });
    second.vectors = createSqliteVectorStore(second.db.sqlite, { model: LOCAL_EMBEDDING_MODEL, dimension: 64 });
    expect(await startReindex(second)).toBe(true);
    expect(reindexStatus(second)).toEqual([
      expect.objectContaining({ model: LOCAL_EMBEDDING_MODEL, dimension: 64, state: 'active', progress: 1 }),
    ]);
    expect(await second.vectors.count()).toBe(chunkCount);
    const { hits } = await search(second, { userId }, { kbId, query: 'sourdough starter' });
    expect(hits[0].document.fileName).toBe('bread.md');
  });
});
