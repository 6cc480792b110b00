import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import type { VectorFilter, VectorHit, VectorStore } from './index.ts';
import { qdrantSizing, quantizationKind } from './qdrant-sizing.ts';
import { tableName } from './sqlite-sql.ts';

export interface QdrantOptions {
  url: string;
  apiKey?: string;
  model: string;
  dimension: number;
  /** Milliseconds per request. */
  timeout?: number;
}

/** A stable UUID for a chunk id, so re-indexing overwrites instead of duplicating. */
export function pointId(chunkId: string): string {
  const h = createHash('sha1').update(chunkId).digest('hex');
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Condition = { key: string; match: { value: string } | { any: string[] } };

function conditions(filter: Partial<VectorFilter>): Condition[] {
  const must: Condition[] = [];
  if (filter.userId !== undefined) must.push({ key: 'user_id', match: { value: filter.userId } });
  if (filter.kbId !== undefined) must.push({ key: 'kb_id', match: { value: filter.kbId } });
  if (filter.layer !== undefined) must.push({ key: 'layer', match: { value: filter.layer } });
  if (filter.documentIds) must.push({ key: 'document_id', match: { any: filter.documentIds } });
  if (filter.parentIds) must.push({ key: 'parent_id', match: { any: filter.parentIds } });
  return must;
}

const KEYWORD_FIELDS = ['kb_id', 'document_id', 'parent_id', 'layer'];

/**
 * Vectors in Qdrant: one collection per embedding model and dimension shared by all users,
 * `user_id` a tenant index and the other ids keyword indexes, so every search is filtered
 * before it is scored. Sized for a 2 GB host (`qdrantSizing`): quantized vectors in RAM
 * (binary from 1024 dimensions, int8 below), originals and the HNSW graph on disk, every
 * search oversampled and rescored with the originals.
 */
export function createQdrantVectorStore(opts: QdrantOptions): VectorStore {
  const { model, dimension } = opts;
  const collection = `context_os_${tableName(model, dimension).slice('vec_'.length)}`;
  const client = new QdrantClient({
    url: opts.url,
    apiKey: opts.apiKey,
    timeout: opts.timeout ?? 10_000,
    checkCompatibility: false,
  });
  let ready: Promise<void> | undefined;
  const sizing = qdrantSizing(dimension);

  /** A collection made before the sizing rule (int8 at every dimension) is re-quantized in place. */
  const resize = async () => {
    const info = await client.getCollection(collection);
    if (quantizationKind(info.config.quantization_config) === quantizationKind(sizing.quantization)) return;
    await client.updateCollection(collection, { quantization_config: sizing.quantization });
  };
  const create = async () => {
    if ((await client.collectionExists(collection)).exists) return resize();
    try {
      await client.createCollection(collection, {
        vectors: { size: dimension, distance: 'Cosine', on_disk: true },
        hnsw_config: { on_disk: true, m: 0, payload_m: 16 },
        quantization_config: sizing.quantization,
        on_disk_payload: true,
      });
    } catch (err) {
      if (!(await client.collectionExists(collection)).exists) throw err;
    }
    await client.createPayloadIndex(collection, {
      field_name: 'user_id',
      field_schema: { type: 'keyword', is_tenant: true },
      wait: true,
    });
    for (const field of KEYWORD_FIELDS) {
      await client.createPayloadIndex(collection, { field_name: field, field_schema: 'keyword', wait: true });
    }
  };
  const ensure = () => {
    ready ??= create().catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
  const checkLength = (v: Float32Array) => {
    if (v.length !== dimension) throw new Error(`vector of length ${v.length} given to a ${dimension}-dimension store`);
  };

  return {
    kind: 'qdrant',
    model,
    dimension,
    init: ensure,
    fastWideSearch: () => true,
    prepare: ensure,
    async upsert(points) {
      for (const p of points) checkLength(p.vector);
      if (points.length === 0) return;
      await ensure();
      await client.upsert(collection, {
        wait: true,
        points: points.map((p) => ({
          id: pointId(p.id),
          vector: Array.from(p.vector),
          payload: {
            chunk_id: p.id,
            user_id: p.userId,
            kb_id: p.kbId,
            document_id: p.documentId,
            parent_id: p.parentId,
            layer: p.layer,
          },
        })),
      });
    },
    async search(vector, filter, limit) {
      checkLength(vector);
      if (limit <= 0 || filter.documentIds?.length === 0 || filter.parentIds?.length === 0) return [];
      await ensure();
      const res = await client.query(collection, {
        query: Array.from(vector),
        filter: { must: conditions(filter) },
        limit,
        params: { quantization: sizing.search },
        with_payload: true,
      });
      return res.points.map((p): VectorHit => {
        const payload = (p.payload ?? {}) as Record<string, unknown>;
        return {
          id: String(payload.chunk_id),
          score: p.score,
          documentId: String(payload.document_id),
          parentId: typeof payload.parent_id === 'string' ? payload.parent_id : null,
        };
      });
    },
    async deleteByDocument(userId, documentId) {
      await ensure();
      await client.delete(collection, {
        wait: true,
        filter: { must: conditions({ userId, documentIds: [documentId] }) },
      });
    },
    async deleteByKb(userId, kbId) {
      await ensure();
      await client.delete(collection, { wait: true, filter: { must: conditions({ userId, kbId }) } });
    },
    async count(filter = {}) {
      await ensure();
      return (await client.count(collection, { filter: { must: conditions(filter) }, exact: true })).count;
    },
    async drop() {
      ready = undefined;
      if ((await client.collectionExists(collection)).exists) await client.deleteCollection(collection);
    },
    async health() {
      try {
        await ensure();
        const info = await client.getCollection(collection);
        return {
          ok: info.status !== 'red',
          detail: `qdrant ${collection}: ${info.status}, ${info.points_count ?? 0} points`,
        };
      } catch (err) {
        return { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
    async close() {},
  };
}
