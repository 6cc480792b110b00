import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { draftFromMarkdown, insertUser, type LoadedDocument, writeDocument } from '../../../tests/search/load.ts';
import { documentChunks } from '../db/chunk-index.ts';
import { deleteDocument } from '../documents/delete.ts';
import type { Embedder } from '../embedder/index.ts';
import { createLocalEmbedder, LOCAL_EMBEDDING_MODEL } from '../embedder/local.ts';
import { embedChunks, replaceDocumentIndex } from '../ingest/write-index.ts';
import { deleteKb } from '../kbs/delete.ts';
import { createKb } from '../kbs/index.ts';
import { createSqliteVectorStore } from '../vector-store/sqlite.ts';
import { tableName } from '../vector-store/sqlite-sql.ts';
import { maintainIndexes, search } from './index.ts';

const DOCS = [
  ['bees.md', '# Bees\n\n## Mites\n\nVarroa mites spread viruses among bees.\n\nTreat with oxalic acid in winter.'],
  ['tea.md', '# 茶\n\n## 绿茶\n\n绿茶用八十度的水冲泡。\n\n玻璃杯适合冲泡绿茶。'],
  ['bread.md', '# Bread\n\n## Starter\n\nFeed the sourdough starter every day.\n\nBake at 250 degrees.'],
];
const NEW_MODEL = 'test-model-b';

/** A second model: another name and dimension, whose embedding waits until `open()`. */
function gatedEmbedder(): Embedder & { open(): void; calls: number } {
  const inner = createLocalEmbedder({ dimension: 48 });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const embedder = {
    model: NEW_MODEL,
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

/** How many schema objects (tables, shadow tables, indexes) a sqlite-vec store of this model has. */
function storeObjects(deps: TestDeps, model: string, dimension: number): number {
  const row = deps.db.sqlite
    .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name LIKE ? || '%'`)
    .get(tableName(model, dimension)) as { n: number };
  return row.n;
}

describe('the embedding index', () => {
  let first: TestDeps;
  let second: TestDeps | undefined;
  let userId: string;
  let kbId: string;
  let docs: LoadedDocument[];
  beforeEach(async () => {
    first = await createTestDeps();
    userId = insertUser(first);
    kbId = createKb(first.db, { userId }, { title: 'kb' }).id;
    docs = [];
    for (const [name, text] of DOCS) docs.push(await writeDocument(first, userId, kbId, draftFromMarkdown(name, text)));
    // The first search records the built-in model as the active index.
    await search(first, { userId }, { kbId, query: 'varroa' });
  });
  afterEach(async () => {
    await second?.cleanup();
    second = undefined;
    await first.cleanup();
  });

  const chunkCount = () => (first.db.sqlite.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  const oldDimension = () => first.embedder.dimension;

  /** A second process configured with the gated model, its re-embedding started and waiting on the gate. */
  async function startSwitch() {
    second = await createTestDeps({ DATA_DIR: first.dataDir });
    const embedder = gatedEmbedder();
    second.embedder = embedder;
    second.vectors = createSqliteVectorStore(second.db.sqlite, { model: NEW_MODEL, dimension: embedder.dimension });
    const run = second.embeddingIndex.rebuild();
    const state = () => first.embeddingIndex.status().find((s) => s.model === NEW_MODEL)?.state;
    await expect.poll(state).toBe('building');
    await expect.poll(() => embedder.calls).toBe(1);
    return { deps: second, embedder, run };
  }

  /** Child hits of a query in the index searches read right now. */
  async function searchedHits(deps: TestDeps, query: string) {
    const { embedder, store } = await deps.embeddingIndex.searched();
    const [vector] = await embedder.embed([query]);
    return store.search(vector, { userId, kbId, layer: 'child' }, 20);
  }

  it('re-embeds into a new table in the background while search keeps using the old one, then switches and drops the old', async () => {
    const { deps, embedder, run } = await startSwitch();
    expect((await deps.embeddingIndex.readiness.check()).detail).toBe(
      `active ${LOCAL_EMBEDDING_MODEL}, building ${NEW_MODEL} 0%`,
    );
    const during = await search(deps, { userId }, { kbId, query: '绿茶 水温 八十度' });
    expect(during.hits[0].document.fileName).toBe('tea.md');
    expect(await deps.vectors.count()).toBe(0);

    embedder.open();
    expect(await run).toBe(true);
    expect(first.embeddingIndex.status()).toEqual([
      expect.objectContaining({ model: NEW_MODEL, state: 'active', progress: 1 }),
    ]);
    expect(await deps.vectors.count()).toBe(chunkCount());
    expect(storeObjects(first, LOCAL_EMBEDDING_MODEL, oldDimension())).toBe(0);
    const after = await search(deps, { userId }, { kbId, query: 'sourdough starter' });
    expect(after.hits[0].document.fileName).toBe('bread.md');
  });

  it('deletes a document from the old index searches read during a re-embedding, and from the new one', async () => {
    const [bees] = docs;
    const { deps, embedder, run } = await startSwitch();
    expect((await searchedHits(deps, 'varroa mites')).some((h) => h.documentId === bees.id)).toBe(true);

    await deleteDocument(deps, { userId }, bees.id);
    expect((await searchedHits(deps, 'varroa mites')).filter((h) => h.documentId === bees.id)).toEqual([]);
    expect(await first.vectors.count({ documentIds: [bees.id] })).toBe(0);

    // The page holding its chunks was read before the delete and is written after it.
    embedder.open();
    expect(await run).toBe(true);
    expect(await deps.vectors.count({ documentIds: [bees.id] })).toBe(0);
    expect(await deps.vectors.count()).toBe(chunkCount());
    const { hits } = await search(deps, { userId }, { kbId, query: 'varroa mites bees' });
    expect(hits.map((h) => h.document.fileName)).not.toContain('bees.md');
  });

  it('deletes a KB from every index during a re-embedding', async () => {
    const otherKb = createKb(first.db, { userId }, { title: 'kept' }).id;
    const kept = await writeDocument(first, userId, otherKb, draftFromMarkdown('kept.md', DOCS[2][1]));
    const { deps, embedder, run } = await startSwitch();
    await deleteKb(deps, { userId }, kbId);
    expect(await first.vectors.count({ kbId })).toBe(0);
    embedder.open();
    expect(await run).toBe(true);
    expect(await deps.vectors.count({ kbId })).toBe(0);
    expect(await deps.vectors.count({ documentIds: [kept.id] })).toBe(documentChunks(first.db, kept.id).length);
  });

  it('replaces a reprocessed document in the index being built and leaves none of its old vectors in the old one', async () => {
    const [, tea] = docs;
    const { deps, embedder, run } = await startSwitch();
    const rows = documentChunks(first.db, tea.id).map((r) =>
      r.layer === 'child' ? { ...r, content: `${r.content} 水温不要超过八十五度。` } : r,
    );
    const chunks = await embedChunks(createLocalEmbedder({ dimension: 48 }), rows);
    const written = await replaceDocumentIndex(deps, {
      userId,
      kbId,
      documentId: tea.id,
      title: '茶',
      summary: '茶',
      chunks,
    });
    expect(written).toBe(true);
    expect(await first.vectors.count({ documentIds: [tea.id] })).toBe(0);

    embedder.open();
    expect(await run).toBe(true);
    expect(await deps.vectors.count({ documentIds: [tea.id] })).toBe(rows.length);
    const { hits } = await search(deps, { userId }, { kbId, query: '八十五度' });
    expect(hits[0].document.id).toBe(tea.id);
    expect(hits[0].children[0].content).toContain('八十五度');
  });

  it('stops a running re-embedding on close, and the next start resumes and finishes it', async () => {
    const { deps, embedder } = await startSwitch();
    const closed = deps.close();
    embedder.open();
    await closed;
    second = undefined;
    expect(first.embeddingIndex.status().find((s) => s.model === NEW_MODEL)?.state).toBe('building');

    // The heartbeat is fresh: make it stale, as a stopped process leaves it after a minute.
    first.db.sqlite.prepare('UPDATE embedding_indexes SET updated_at = 0 WHERE model = ?').run(NEW_MODEL);
    second = await createTestDeps({ DATA_DIR: first.dataDir });
    second.embedder = createLocalEmbedder({ model: NEW_MODEL, dimension: 48 });
    second.vectors = createSqliteVectorStore(second.db.sqlite, { model: NEW_MODEL, dimension: 48 });
    await maintainIndexes(second);
    expect(first.embeddingIndex.status()).toEqual([expect.objectContaining({ model: NEW_MODEL, state: 'active' })]);
    expect(await second.vectors.count()).toBe(chunkCount());
  });

  it('drops at start a retired index an interrupted switch left behind', async () => {
    const leftover = createSqliteVectorStore(first.db.sqlite, { model: 'left-behind', dimension: 8 });
    await leftover.upsert([
      {
        id: randomUUID(),
        vector: new Float32Array(8).fill(0.5),
        userId,
        kbId,
        documentId: docs[0].id,
        parentId: null,
        layer: 'document',
      },
    ]);
    first.db.sqlite
      .prepare(
        `INSERT INTO embedding_indexes (model, dimension, state, progress) VALUES ('left-behind', 8, 'retired', 1)`,
      )
      .run();
    await maintainIndexes(first);
    expect(storeObjects(first, 'left-behind', 8)).toBe(0);
    expect(first.embeddingIndex.status().map((s) => s.model)).toEqual([LOCAL_EMBEDDING_MODEL]);
    expect(storeObjects(first, LOCAL_EMBEDDING_MODEL, oldDimension())).toBeGreaterThan(0);
  });

  it('rebuilds in place when the same model changes dimension, dropping the vectors of the old dimension', async () => {
    second = await createTestDeps({ DATA_DIR: first.dataDir });
    second.embedder = createLocalEmbedder({ dimension: 64 });
    second.vectors = createSqliteVectorStore(second.db.sqlite, { model: LOCAL_EMBEDDING_MODEL, dimension: 64 });
    expect(await second.embeddingIndex.rebuild()).toBe(true);
    expect(second.embeddingIndex.status()).toEqual([
      expect.objectContaining({ model: LOCAL_EMBEDDING_MODEL, dimension: 64, state: 'active', progress: 1 }),
    ]);
    expect(await second.vectors.count()).toBe(chunkCount());
    expect(storeObjects(first, LOCAL_EMBEDDING_MODEL, oldDimension())).toBe(0);
    const { hits } = await search(second, { userId }, { kbId, query: 'sourdough starter' });
    expect(hits[0].document.fileName).toBe('bread.md');
  });
});
