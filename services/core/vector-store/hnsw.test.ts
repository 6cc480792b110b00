import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rng } from '../../../bench/search-corpus.ts';
import { clusteredVector, queryVector } from '../../../bench/vectors.ts';
import { openDatabase } from '../db/index.ts';
import { vectorStoreContract } from './contract.ts';
import { candidatesFor, createHnswVectorStore, type HnswStoreOptions, quantizationOf } from './hnsw.ts';
import type { VectorPoint, VectorStore } from './index.ts';
import { createSqliteVectorStore } from './sqlite.ts';

function openTemp() {
  const dir = mkdtempSync(join(tmpdir(), 'cos-hnsw-'));
  const db = openDatabase(join(dir, 'test.db'));
  const dispose = () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, db, dispose };
}

vectorStoreContract('hnsw', async (dimension) => {
  const { dir, db, dispose } = openTemp();
  // Every partition indexed, at once: the contract runs through the graph, not the exact scan.
  const store = createHnswVectorStore(db.sqlite, {
    model: `contract-${randomUUID()}`,
    dimension,
    dir,
    minPoints: 0,
    inlineBuild: 100_000,
  });
  const close = async () => {
    await store.close();
    dispose();
  };
  return { store, dispose: close };
});

const DIM = 32;
/** Clustered unit vectors: points scattered around a few centres, as embeddings of related passages are. */
function clustered(n: number, seed: number, centres = 20): Float32Array[] {
  const random = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const c = Array.from({ length: centres }, () => Float32Array.from({ length: DIM }, gauss));
  return Array.from({ length: n }, (_, i) => {
    const v = Float32Array.from(c[i % centres], (x) => x + 0.6 * gauss());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const scope = { userId: 'u', kbId: 'k', layer: 'child' as const };
const points = (vectors: Float32Array[], prefix = 'c'): VectorPoint[] =>
  vectors.map((vector, i) => ({
    ...scope,
    id: `${prefix}${i}`,
    vector,
    documentId: `d${i % 50}`,
    parentId: `p${i % 500}`,
  }));

/** Share of the exact top 10 the store finds for these queries; the scores it shares must be exact. */
async function recallAgainst(exact: VectorStore, store: VectorStore, queries: Float32Array[]): Promise<number> {
  let found = 0;
  for (const q of queries) {
    const want = await exact.search(q, scope, 10);
    const got = await store.search(q, scope, 10);
    found += got.filter((h) => want.some((w) => w.id === h.id)).length;
    for (const h of got) {
      const same = want.find((w) => w.id === h.id);
      if (same) expect(h.score).toBeCloseTo(same.score, 5);
    }
  }
  return found / (10 * queries.length);
}

describe('HNSW store', () => {
  let cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
  });
  const setup = (opts: Partial<HnswStoreOptions> = {}) => {
    const t = openTemp();
    cleanup.push(t.dispose);
    const logs: string[] = [];
    const logger = {
      info: (_: unknown, msg: string) => logs.push(msg),
      warn: (_: unknown, msg: string) => logs.push(msg),
    };
    const make = (more: Partial<HnswStoreOptions> = {}) => {
      const store = createHnswVectorStore(t.db.sqlite, {
        model: 'm',
        dimension: DIM,
        dir: t.dir,
        minPoints: 100,
        logger,
        ...opts,
        ...more,
      });
      cleanup.push(() => store.close());
      return store;
    };
    return { ...t, logs, make, exact: createSqliteVectorStore(t.db.sqlite, { model: 'm', dimension: DIM }) };
  };
  const ids = async (store: VectorStore, q: Float32Array, k = 10) => (await store.search(q, scope, k)).map((h) => h.id);

  it('finds what the exact scan finds, with exact cosine scores', async () => {
    const { make, exact } = setup();
    const store = make();
    await store.upsert(points(clustered(3000, 1)));
    await store.prepare();
    expect(store.fastWideSearch(scope)).toBe(true);
    expect(await recallAgainst(exact, store, clustered(50, 2))).toBeGreaterThanOrEqual(0.97);
  });

  it('holds sign bits from 1024 dimensions, int8 below, and rescores to what the exact scan finds', async () => {
    expect([256, 1020, 1024, 1536].map(quantizationOf)).toEqual(['i8', 'i8', 'b1', 'b1']);
    expect(candidatesFor(10, 'b1')).toBe(100);
    expect(candidatesFor(100, 'b1')).toBe(300);
    expect(candidatesFor(10, 'i8')).toBe(50);
    const dimension = 1024;
    const { make, dir, db } = setup({ dimension });
    const store = make();
    const exact = createSqliteVectorStore(db.sqlite, { model: 'm', dimension });
    // Topics and subtopics, as the bench's embeddings: neighbours a bit per dimension can tell apart.
    await store.upsert(points(Array.from({ length: 3000 }, (_, i) => clusteredVector(i, dimension, 3000))));
    await store.prepare();
    expect((await store.health()).detail).toContain('HNSW (b1) on 1 partitions');
    const queries = Array.from({ length: 30 }, (_, i) => queryVector(i, dimension, 3000));
    expect(await recallAgainst(exact, store, queries)).toBeGreaterThanOrEqual(0.97);
    // A bit per dimension plus the graph: well under the int8 copy's 1,024 bytes a vector.
    await store.close();
    const file = readdirSync(dir, { recursive: true })
      .map(String)
      .find((f) => f.endsWith('.usearch'));
    expect(statSync(join(dir, String(file))).size / 3000).toBeLessThan(400);
  });

  it('scans small partitions exactly and says a wide search is not fast there', async () => {
    const { make } = setup();
    const store = make({ minPoints: 1000 });
    await store.upsert(points(clustered(200, 3)));
    expect(store.fastWideSearch(scope)).toBe(false);
    expect(await ids(store, clustered(1, 4)[0], 3)).toHaveLength(3);
    expect((await store.health()).detail).toContain('on 0 partitions');
  });

  it('sees deletes and re-embedding by another process at the next search', async () => {
    const { make } = setup();
    const searcher = make();
    const writer = make();
    const vectors = clustered(1500, 5);
    await writer.upsert(points(vectors));
    const q = vectors[7];
    expect((await ids(searcher, q, 1))[0]).toBe('c7');
    await writer.deleteByDocument('u', 'd7');
    const after = await searcher.search(q, scope, 10);
    expect(after.some((h) => h.documentId === 'd7')).toBe(false);
    await writer.upsert([{ ...points([q], 'moved')[0], id: 'c8' }]);
    const [top] = await searcher.search(q, scope, 1);
    expect(top).toMatchObject({ id: 'c8' });
    expect(top.score).toBeCloseTo(1, 4);
    expect(await searcher.count(scope)).toBe(1500 - 30);
  });

  it('builds a large partition off the request path, answering exactly meanwhile', async () => {
    const { make, exact, logs } = setup({ inlineBuild: 500 });
    const store = make();
    const vectors = clustered(2000, 6);
    await store.upsert(points(vectors));
    const q = vectors[11];
    expect(await ids(store, q)).toEqual(await ids(exact, q));
    expect(store.fastWideSearch(scope)).toBe(false);
    await store.prepare();
    expect(logs).toContain('vector index built');
    expect(store.fastWideSearch(scope)).toBe(true);
    expect((await ids(store, q, 1))[0]).toBe('c11');
  });

  /** A store whose index over 1200 clustered points was built, saved and closed; the files it left. */
  const savedIndex = async (seed: number) => {
    const world = setup({ inlineBuild: 0 });
    const first = world.make();
    await first.upsert(points(clustered(1200, seed)));
    await first.prepare();
    await first.close();
    return { ...world, files: readdirSync(world.dir, { recursive: true }).map(String) };
  };

  it('saves the index beside the database and loads it instead of rebuilding', async () => {
    const { make, logs, files } = await savedIndex(7);
    expect(files.some((f) => f.endsWith('.usearch'))).toBe(true);
    logs.length = 0;
    const second = make();
    await second.upsert(points(clustered(10, 8), 'new'));
    expect(second.fastWideSearch(scope)).toBe(true);
    expect(logs).not.toContain('vector index built');
    expect((await ids(second, clustered(10, 8)[3], 1))[0]).toBe('new3');
  });

  it('loads an index whose stamp names its settings in another order, as earlier versions wrote them', async () => {
    const { make, logs, dir, files } = await savedIndex(13);
    const stamp = join(dir, String(files.find((f) => f.endsWith('.usearch.json'))));
    const meta = JSON.parse(readFileSync(stamp, 'utf8'));
    meta.settings = Object.fromEntries(Object.entries(meta.settings).reverse());
    writeFileSync(stamp, JSON.stringify(meta));
    logs.length = 0;
    const second = make();
    expect(second.fastWideSearch(scope)).toBe(true);
    expect(logs).not.toContain('vector index built');
  });

  it('rebuilds an index file that is damaged or newer than the database', async () => {
    const { make, logs, dir, files } = await savedIndex(9);
    const file = files.find((f) => f.endsWith('.usearch'));
    expect(file).toBeDefined();
    const path = join(dir, String(file));
    writeFileSync(path, 'not an index');
    logs.length = 0;
    const second = make();
    await second.prepare();
    expect(logs).toContain('vector index built');
    expect((await ids(second, clustered(1200, 9)[5], 1))[0]).toBe('c5');
    await second.close();
    expect(existsSync(path)).toBe(true);
    // A database restored from an older backup: the saved index has seen rowids it does not have.
    const meta = JSON.parse(readFileSync(`${path}.json`, 'utf8'));
    writeFileSync(`${path}.json`, JSON.stringify({ ...meta, maxRowid: meta.maxRowid + 10 }));
    logs.length = 0;
    await make().prepare();
    expect(logs).toContain('vector index built');
  });

  it('forgets a deleted KB, files included', async () => {
    const { make, dir } = setup({ inlineBuild: 5000 });
    const store = make();
    await store.upsert(points(clustered(300, 10)));
    expect(store.fastWideSearch(scope)).toBe(true);
    await store.deleteByKb('u', 'k');
    expect(
      readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.usearch')),
    ).toEqual([]);
    expect(await store.search(clustered(1, 11)[0], scope, 5)).toEqual([]);
  });

  it('drops its saved indexes with its tables, and starts empty when used again', async () => {
    const { make, dir } = setup({ inlineBuild: 0 });
    const store = make();
    await store.upsert(points(clustered(1200, 18)));
    await store.prepare();
    const saved = () =>
      readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.usearch'));
    expect(saved()).toHaveLength(1);
    await store.drop();
    expect(saved()).toEqual([]);
    await store.init();
    expect(await store.count()).toBe(0);
    expect(await store.search(clustered(1, 20)[0], scope, 5)).toEqual([]);
  });

  it('scores a narrowing that leaves few points exactly among them', async () => {
    const { make, exact } = setup();
    const store = make();
    const vectors = clustered(2000, 12);
    await store.upsert(points(vectors));
    await store.prepare();
    const filter = { ...scope, documentIds: ['d3', 'd4'] };
    expect(await store.search(vectors[0], filter, 10)).toEqual(await exact.search(vectors[0], filter, 10));
  });

  it('walks the graph with a wide narrowing, every hit inside it, as the exact scan ranks', async () => {
    const { make, exact } = setup();
    const store = make();
    await store.upsert(points(clustered(3000, 13)));
    await store.prepare();
    // Half the documents: 1,500 points, more than are scored one by one.
    const filter = { ...scope, documentIds: Array.from({ length: 25 }, (_, i) => `d${2 * i}`) };
    let found = 0;
    for (const q of clustered(30, 14)) {
      const want = await exact.search(q, filter, 10);
      const got = await store.search(q, filter, 10);
      expect(got.every((h) => filter.documentIds.includes(h.documentId))).toBe(true);
      expect(got).toHaveLength(10);
      found += got.filter((h) => want.some((w) => w.id === h.id && Math.abs(w.score - h.score) < 1e-5)).length;
    }
    expect(found / 300).toBeGreaterThanOrEqual(0.97);
  });

  it('scans exactly when too few of the nearest points pass the narrowing', async () => {
    const { make, exact } = setup();
    const store = make();
    // 1,100 points of documents far from the query, behind 4,900 nearer ones.
    const around = clustered(6001, 15, 1);
    const q = around[6000];
    const nearer = around.slice(0, 4900);
    const farther = around.slice(4900, 6000).map((v) => v.map((x) => -x));
    await store.upsert([
      ...points(nearer),
      ...points(farther, 'far').map((p, i) => ({ ...p, documentId: `far${i % 11}` })),
    ]);
    await store.prepare();
    expect(store.fastWideSearch(scope)).toBe(true);
    const filter = { ...scope, documentIds: Array.from({ length: 11 }, (_, i) => `far${i}`) };
    const got = await store.search(q, filter, 10);
    expect(got).toHaveLength(10);
    expect(got).toEqual(await exact.search(q, filter, 10));
  });
});
