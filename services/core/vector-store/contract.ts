import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChunkLayer } from '../db/schema.ts';
import type { VectorPoint, VectorStore } from './index.ts';

export const CONTRACT_DIMENSION = 8;

/** A unit vector pointing mostly along axis `i`, nudged by `j` so ranks are predictable. */
export function axis(i: number, nudge = 0, j = (i + 1) % CONTRACT_DIMENSION): Float32Array {
  const v = new Float32Array(CONTRACT_DIMENSION);
  v[i] = 1;
  v[j] += nudge;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** `n` unit vectors scattered around axis `i` (nudged towards axis `j`), the same every run. */
function scattered(n: number, i: number, seed: number): Float32Array[] {
  let s = seed;
  const random = () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  return Array.from({ length: n }, () => {
    const v = axis(i, 0.3).map((x) => x + 0.4 * random());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

function point(p: Partial<VectorPoint> & { vector: Float32Array; userId: string; kbId: string }): VectorPoint {
  return { id: randomUUID(), documentId: 'd1', parentId: null, layer: 'child' as ChunkLayer, ...p };
}

export interface StoreHandle {
  store: VectorStore;
  dispose(): Promise<void>;
}

/**
 * The one behaviour every VectorStore implementation must show. Each test gets a fresh store
 * from `open` (its own table or collection), so suites can run side by side.
 */
export function vectorStoreContract(name: string, open: (dimension: number) => Promise<StoreHandle>): void {
  describe(`VectorStore contract: ${name}`, () => {
    let handle: StoreHandle;
    let store: VectorStore;
    const u1 = randomUUID();
    const u2 = randomUUID();
    const kb1 = randomUUID();
    const kb2 = randomUUID();
    beforeEach(async () => {
      handle = await open(CONTRACT_DIMENSION);
      store = handle.store;
      await store.init();
      await store.init();
    });
    afterEach(async () => handle.dispose());

    it('reports its model, dimension and health', async () => {
      expect(store.dimension).toBe(CONTRACT_DIMENSION);
      expect(store.model.length).toBeGreaterThan(0);
      expect((await store.health()).ok).toBe(true);
    });

    it('returns the nearest points first with cosine similarity scores', async () => {
      const a = point({ userId: u1, kbId: kb1, vector: axis(0) });
      const b = point({ userId: u1, kbId: kb1, vector: axis(0, 0.5) });
      const c = point({ userId: u1, kbId: kb1, vector: axis(3) });
      await store.upsert([a, b, c]);
      const hits = await store.search(axis(0), { userId: u1, kbId: kb1, layer: 'child' }, 10);
      expect(hits.map((h) => h.id)).toEqual([a.id, b.id, c.id]);
      expect(hits[0].score).toBeCloseTo(1, 3);
      expect(hits[1].score).toBeCloseTo(1 / Math.hypot(1, 0.5), 3);
      expect(hits[2].score).toBeCloseTo(0, 3);
      expect(hits[0]).toMatchObject({ documentId: 'd1', parentId: null });
    });

    it('respects the limit', async () => {
      await store.upsert([0, 1, 2, 3].map((i) => point({ userId: u1, kbId: kb1, vector: axis(i) })));
      expect(await store.search(axis(0), { userId: u1, kbId: kb1, layer: 'child' }, 2)).toHaveLength(2);
      expect(await store.search(axis(0), { userId: u1, kbId: kb1, layer: 'child' }, 0)).toEqual([]);
    });

    it('never returns another user, another KB or another layer', async () => {
      const mine = point({ userId: u1, kbId: kb1, vector: axis(1) });
      await store.upsert([
        mine,
        point({ userId: u2, kbId: kb1, vector: axis(0) }),
        point({ userId: u1, kbId: kb2, vector: axis(0) }),
        point({ userId: u1, kbId: kb1, layer: 'parent', vector: axis(0) }),
      ]);
      const hits = await store.search(axis(0), { userId: u1, kbId: kb1, layer: 'child' }, 10);
      expect(hits.map((h) => h.id)).toEqual([mine.id]);
      expect(await store.search(axis(0), { userId: u2, kbId: kb2, layer: 'child' }, 10)).toEqual([]);
    });

    it('narrows by documents and by parents', async () => {
      const p1 = randomUUID();
      const p2 = randomUUID();
      const inP1 = point({ userId: u1, kbId: kb1, documentId: 'dA', parentId: p1, vector: axis(2) });
      const inP2 = point({ userId: u1, kbId: kb1, documentId: 'dB', parentId: p2, vector: axis(0) });
      await store.upsert([inP1, inP2]);
      const base = { userId: u1, kbId: kb1, layer: 'child' as const };
      expect((await store.search(axis(0), { ...base, parentIds: [p1] }, 5)).map((h) => h.id)).toEqual([inP1.id]);
      expect((await store.search(axis(0), { ...base, documentIds: ['dA'] }, 5)).map((h) => h.id)).toEqual([inP1.id]);
      const both = await store.search(axis(0), { ...base, documentIds: ['dA', 'dB'] }, 5);
      expect(both.map((h) => h.id)).toEqual([inP2.id, inP1.id]);
      expect(both[1]).toMatchObject({ documentId: 'dA', parentId: p1 });
      expect(await store.search(axis(0), { ...base, parentIds: [] }, 5)).toEqual([]);
      expect(await store.search(axis(0), { ...base, documentIds: ['dA'], parentIds: [p2] }, 5)).toEqual([]);
    });

    it('narrows by a long list of documents, as a metadata filter gives', async () => {
      const inside = point({ userId: u1, kbId: kb1, documentId: 'd-kept', vector: axis(2) });
      const outside = point({ userId: u1, kbId: kb1, documentId: 'd-left-out', vector: axis(0) });
      await store.upsert([inside, outside]);
      const many = [...Array.from({ length: 5000 }, (_, i) => `d-other-${i}`), 'd-kept'];
      const base = { userId: u1, kbId: kb1, layer: 'child' as const };
      expect((await store.search(axis(0), { ...base, documentIds: many }, 5)).map((h) => h.id)).toEqual([inside.id]);
      expect(await store.search(axis(0), { ...base, documentIds: many.slice(0, -1) }, 5)).toEqual([]);
    });

    it('narrows before it cuts: the best points inside a filter, though hundreds outside are nearer', async () => {
      // More points pass than any store scores one by one, around another centre than the query's.
      const near = scattered(1200, 0, 1).map((vector, i) =>
        point({ userId: u1, kbId: kb1, documentId: `near-${i % 12}`, vector }),
      );
      const far = scattered(1200, 1, 2).map((vector, i) =>
        point({ userId: u1, kbId: kb1, documentId: `far-${i % 12}`, vector }),
      );
      for (let i = 0; i < 1200; i += 400) await store.upsert([...near.slice(i, i + 400), ...far.slice(i, i + 400)]);
      await store.prepare();
      const q = axis(0);
      const cos = (v: Float32Array) => v.reduce((sum, x, i) => sum + x * q[i], 0);
      const byScore = [...near, ...far].sort((a, b) => cos(b.vector) - cos(a.vector));
      expect(byScore.slice(0, 200).every((p) => p.documentId.startsWith('near-'))).toBe(true);
      const documentIds = Array.from({ length: 12 }, (_, i) => `far-${i}`);
      const hits = await store.search(q, { userId: u1, kbId: kb1, layer: 'child', documentIds }, 5);
      const best = byScore.filter((p) => p.documentId.startsWith('far-')).slice(0, 5);
      expect(hits.map((h) => h.id)).toEqual(best.map((p) => p.id));
      expect(hits.map((h) => h.score)).toEqual(best.map((p) => expect.closeTo(cos(p.vector), 4)));
    });

    it('replaces a point upserted twice under the same id', async () => {
      const p = point({ userId: u1, kbId: kb1, vector: axis(0) });
      await store.upsert([p]);
      await store.upsert([{ ...p, vector: axis(4) }]);
      expect(await store.count({ userId: u1 })).toBe(1);
      const [hit] = await store.search(axis(4), { userId: u1, kbId: kb1, layer: 'child' }, 5);
      expect(hit.id).toBe(p.id);
      expect(hit.score).toBeCloseTo(1, 3);
    });

    it('deletes by document and by KB for the owning user only', async () => {
      await store.upsert([
        point({ userId: u1, kbId: kb1, documentId: 'dX', vector: axis(0) }),
        point({ userId: u1, kbId: kb1, documentId: 'dY', vector: axis(1) }),
        point({ userId: u1, kbId: kb2, documentId: 'dZ', vector: axis(2) }),
        point({ userId: u2, kbId: kb2, documentId: 'dW', vector: axis(3) }),
      ]);
      await store.deleteByDocument(u2, 'dX');
      expect(await store.count({ userId: u1 })).toBe(3);
      await store.deleteByDocument(u1, 'dX');
      expect(await store.count({ userId: u1, kbId: kb1 })).toBe(1);
      await store.deleteByKb(u1, kb2);
      expect(await store.count({ userId: u1 })).toBe(1);
      expect(await store.count({ userId: u2, kbId: kb2 })).toBe(1);
      await store.deleteByKb(u1, kb2);
    });

    it('drops every vector, twice safely, and starts empty when used again', async () => {
      await store.upsert([point({ userId: u1, kbId: kb1, vector: axis(0) })]);
      await store.drop();
      await store.drop();
      await store.init();
      expect(await store.count()).toBe(0);
      expect(await store.search(axis(0), { userId: u1, kbId: kb1, layer: 'child' }, 5)).toEqual([]);
    });

    it('counts by any part of a filter', async () => {
      await store.upsert([
        point({ userId: u1, kbId: kb1, layer: 'document', vector: axis(0) }),
        point({ userId: u1, kbId: kb1, layer: 'child', vector: axis(1) }),
        point({ userId: u1, kbId: kb1, layer: 'child', documentId: 'd2', vector: axis(2) }),
      ]);
      expect(await store.count({ userId: u1, kbId: kb1, layer: 'child' })).toBe(2);
      expect(await store.count({ userId: u1, documentIds: ['d2'] })).toBe(1);
      expect(await store.count({ userId: u1, kbId: kb1 })).toBe(3);
    });

    it('rejects a vector of the wrong dimension', async () => {
      const bad = point({ userId: u1, kbId: kb1, vector: new Float32Array(CONTRACT_DIMENSION + 1).fill(0.1) });
      await expect(store.upsert([bad])).rejects.toThrow();
      await expect(store.search(new Float32Array(3), { userId: u1, kbId: kb1, layer: 'child' }, 3)).rejects.toThrow();
    });
  });
}
