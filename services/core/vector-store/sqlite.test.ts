import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/index.ts';
import { axis, vectorStoreContract } from './contract.ts';
import { createSqliteVectorStore } from './sqlite.ts';
import { tableName } from './sqlite-sql.ts';
import { chunkSizeFor } from './sqlite-table.ts';

function openTemp() {
  const dir = mkdtempSync(join(tmpdir(), 'cos-vec-'));
  const db = openDatabase(join(dir, 'test.db'));
  const dispose = () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { db, dispose };
}

vectorStoreContract('sqlite-vec', async (dimension) => {
  const { db, dispose } = openTemp();
  const store = createSqliteVectorStore(db.sqlite, { model: `contract-${randomUUID()}`, dimension });
  return { store, dispose: async () => dispose() };
});

describe('sqlite-vec store', () => {
  it('keeps two models in separate tables of the same file', async () => {
    const { db, dispose } = openTemp();
    const a = createSqliteVectorStore(db.sqlite, { model: 'model-a', dimension: 8 });
    const b = createSqliteVectorStore(db.sqlite, { model: 'model-b', dimension: 4 });
    await a.upsert([
      { id: 'c1', vector: axis(0), userId: 'u', kbId: 'k', documentId: 'd', parentId: null, layer: 'child' },
    ]);
    expect(await a.count()).toBe(1);
    expect(await b.count()).toBe(0);
    dispose();
  });

  it('sizes its chunks by dimension, 32 vectors at 1024 so that rescoring reads short blobs', async () => {
    expect([256, 768, 1024, 1536].map(chunkSizeFor)).toEqual([128, 40, 32, 16]);
    const { db, dispose } = openTemp();
    try {
      await createSqliteVectorStore(db.sqlite, { model: 'wide', dimension: 1024 }).init();
      const created = db.sqlite.prepare("SELECT sql FROM sqlite_master WHERE sql LIKE '%USING vec0%'").all() as Array<{
        sql: string;
      }>;
      expect(created.map((t) => t.sql).join()).toContain('chunk_size=32');
    } finally {
      dispose();
    }
  });

  it('drops its tables (vectors, ids and their shadow tables), leaving other models alone', async () => {
    const { db, dispose } = openTemp();
    const objects = (model: string, dimension: number) =>
      (
        db.sqlite
          .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name LIKE ? || '%'`)
          .get(tableName(model, dimension)) as { n: number }
      ).n;
    const a = createSqliteVectorStore(db.sqlite, { model: 'model-a', dimension: 8 });
    const b = createSqliteVectorStore(db.sqlite, { model: 'model-b', dimension: 4 });
    await a.init();
    await b.init();
    const before = objects('model-b', 4);
    expect(objects('model-a', 8)).toBe(before);
    await a.drop();
    expect(objects('model-a', 8)).toBe(0);
    expect(objects('model-b', 4)).toBe(before);
    expect(await b.count()).toBe(0);
    dispose();
  });

  it('scores large candidate sets with the filtered scan, same ranks as direct lookups', async () => {
    const { db, dispose } = openTemp();
    const store = createSqliteVectorStore(db.sqlite, { model: 'big', dimension: 8 });
    const points = Array.from({ length: 1500 }, (_, i) => ({
      id: `c${i}`,
      vector: axis(i % 8, (i % 97) / 100),
      userId: 'u',
      kbId: 'k',
      documentId: `d${i % 3}`,
      parentId: 'p',
      layer: 'child' as const,
    }));
    await store.upsert(points);
    const wide = await store.search(axis(5), { userId: 'u', kbId: 'k', layer: 'child', parentIds: ['p'] }, 5);
    const narrow = await store.search(axis(5), { userId: 'u', kbId: 'k', layer: 'child', documentIds: ['d0'] }, 5);
    const q = axis(5);
    const cos = (v: Float32Array) => v.reduce((s, x, i) => s + x * q[i], 0);
    const best = (ps: typeof points) =>
      ps
        .map((p) => cos(p.vector))
        .sort((a, b) => b - a)
        .slice(0, 5);
    expect(wide.map((h) => h.score)).toEqual(best(points).map((s) => expect.closeTo(s, 4)));
    expect(narrow.every((h) => h.documentId === 'd0')).toBe(true);
    const inD0 = points.filter((p) => p.documentId === 'd0');
    expect(narrow.map((h) => h.score)).toEqual(best(inD0).map((s) => expect.closeTo(s, 4)));
    dispose();
  });

  it('keeps a long document list exact when it is too large for direct lookups', async () => {
    const { db, dispose } = openTemp();
    const store = createSqliteVectorStore(db.sqlite, { model: 'long-list', dimension: 8 });
    const points = Array.from({ length: 1500 }, (_, i) => ({
      id: `c${i}`,
      vector: axis(i % 8, (i % 89) / 100),
      userId: 'u',
      kbId: 'k',
      documentId: `d${i}`,
      parentId: null,
      layer: 'child' as const,
    }));
    await store.upsert(points);
    // 1,200 of the 1,500 documents among 40,000 ids: more than SQLite's bound variables allow.
    const kept = new Set(points.slice(0, 1200).map((p) => p.documentId));
    const documentIds = [...kept, ...Array.from({ length: 38_800 }, (_, i) => `absent-${i}`)];
    const q = axis(3);
    const hits = await store.search(q, { userId: 'u', kbId: 'k', layer: 'child', documentIds }, 5);
    const cos = (v: Float32Array) => v.reduce((s, x, i) => s + x * q[i], 0);
    const best = points
      .filter((p) => kept.has(p.documentId))
      .map((p) => cos(p.vector))
      .sort((a, b) => b - a)
      .slice(0, 5);
    expect(hits.every((h) => kept.has(h.documentId))).toBe(true);
    expect(hits.map((h) => h.score)).toEqual(best.map((s) => expect.closeTo(s, 4)));
    dispose();
  });
});
